"""Performance of the daily submit and of the season snapshot (issue #3, docs/perf/quiz.md).

- Snapshot rows: no foreign-key constraints or single-column indexes (a rebuild writes a
  million rows); the ancestor paths at depths 1–3 with an index each, filled here for the
  rows of existing (frozen) snapshots; the org_path pattern index goes (the depth indexes
  replace it).
- Attempts: the day index no longer holds submitted_at, and on PostgreSQL attempts and their
  items keep 20% of each page free, so that the submit's updates stay on the page (HOT
  updates: no new index entries, a fraction of the WAL).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_paths(apps, schema_editor):
    step = settings.ORG_PATH_STEP
    sql = ("UPDATE quiz_snapshotrow SET path_1 = substr(org_path, 1, %s), path_2 = substr(org_path, 1, %s),"
           " path_3 = substr(org_path, 1, %s)")
    schema_editor.execute(sql, [2 * step, 3 * step, 4 * step])


def fillfactor(value: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in ("quiz_attempt", "quiz_attemptitem"):
                schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET (fillfactor = {value})")
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0001_initial'),
        ('quiz', '0002_challenge_team'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='attempt',
            name='quiz_attempt_day',
        ),
        migrations.RemoveIndex(
            model_name='snapshotrow',
            name='quiz_snaprow_path',
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='path_1',
            field=models.CharField(default='', max_length=255),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='path_2',
            field=models.CharField(default='', max_length=255),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='path_3',
            field=models.CharField(default='', max_length=255),
        ),
        migrations.AlterField(
            model_name='snapshotrow',
            name='member',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.member'),
        ),
        migrations.AlterField(
            model_name='snapshotrow',
            name='org',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.org'),
        ),
        migrations.AlterField(
            model_name='snapshotrow',
            name='snapshot',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='rows', to='quiz.snapshot'),
        ),
        migrations.AddIndex(
            model_name='attempt',
            index=models.Index(fields=['contest', 'day'], name='quiz_attempt_day'),
        ),
        migrations.AddIndex(
            model_name='snapshotrow',
            index=models.Index(fields=['snapshot', 'path_1', 'rank'], name='quiz_snaprow_path1'),
        ),
        migrations.AddIndex(
            model_name='snapshotrow',
            index=models.Index(fields=['snapshot', 'path_2', 'rank'], name='quiz_snaprow_path2'),
        ),
        migrations.AddIndex(
            model_name='snapshotrow',
            index=models.Index(fields=['snapshot', 'path_3', 'rank'], name='quiz_snaprow_path3'),
        ),
        migrations.RunPython(fill_paths, migrations.RunPython.noop),
        migrations.RunPython(fillfactor(80), fillfactor(100)),
    ]
