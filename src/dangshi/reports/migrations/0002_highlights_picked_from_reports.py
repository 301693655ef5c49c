"""Highlights are now picked from activity reports (issue 9, item 9) instead of typed in.

The typed-in rows have no report to point at, so they are removed; the photos move to
HighlightPhoto (up to three per highlight)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def drop_typed_highlights(apps, schema_editor):
    apps.get_model("reports", "Highlight").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_typed_highlights, migrations.RunPython.noop),
        migrations.RemoveField(model_name="highlight", name="photo"),
        migrations.AddField(
            model_name="highlight",
            name="source",
            field=models.CharField(choices=[("outreach.session", "宣讲"), ("outreach.activity", "活动"),
                                            ("practical.progress", "实事进展"), ("practical.deed", "党员办实事")],
                                   default="outreach.session", max_length=20, verbose_name="来源"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="highlight",
            name="source_id",
            field=models.PositiveBigIntegerField(default=0, verbose_name="来源编号"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="highlight",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="顺序"),
        ),
        migrations.AddField(
            model_name="highlight",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="highlight",
            name="title",
            field=models.CharField(max_length=200, verbose_name="标题"),
        ),
        migrations.AlterModelOptions(
            name="highlight",
            options={"ordering": ["position", "id"], "verbose_name": "工作亮点", "verbose_name_plural": "工作亮点"},
        ),
        migrations.AddConstraint(
            model_name="highlight",
            constraint=models.UniqueConstraint(fields=("source", "source_id"), name="highlight_picked_once"),
        ),
        migrations.AddIndex(
            model_name="highlight",
            index=models.Index(fields=["day", "position"], name="highlight_day_position"),
        ),
        migrations.CreateModel(
            name="HighlightPhoto",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("image", models.ImageField(upload_to="reports/highlights/%Y/%m/", verbose_name="照片")),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("highlight", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="photos",
                                                to="reports.highlight")),
            ],
            options={"verbose_name": "亮点照片", "verbose_name_plural": "亮点照片", "ordering": ["highlight", "position"]},
        ),
    ]
