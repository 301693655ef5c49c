"""The season ranking's snapshot (the reads and the formula are in selectors/ranking.py):
rebuilt in one INSERT … SELECT by `dangshi quiz-snapshots`, and frozen at season close for
the selection."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from dangshi.audit.services import log_event
from dangshi.quiz.models import Contest, Snapshot, SnapshotRow, Standing
from dangshi.quiz.selectors.ranking import contest_mu, period_for


def snapshot_rebuild(*, contest: Contest, day: date | None = None, frozen: bool = False, actor=None) -> Snapshot:
    """Rank every member of the season in one INSERT … SELECT (window function on both databases).

    On PostgreSQL the rows go into a partition of their own (migration quiz/0004): a fresh table
    filled without indexes, indexed once over a million sorted rows, then attached; the old
    snapshot's partition is dropped, not deleted row by row. That took a 1,000,000-member rebuild
    from 34–43 s to about 15 s (docs/perf/quiz.md). Elsewhere the rows go into the one table.

    `built_at` is stamped when the rows are written, not when the rebuild starts, so that a
    long rebuild is not already stale when it lands (the board reads a snapshot younger than
    SNAPSHOT_FRESH). The rows reflect the aggregates as of the start of the INSERT."""
    day = day or timezone.localdate()
    period = period_for(contest=contest, kind="season", day=day)
    cache.delete(f"quiz:mu:{contest.pk}:season")
    mu = contest_mu(contest=contest, period=period)
    m, days_open = float(contest.m), float(max(period.days_open, 1))
    step = settings.ORG_PATH_STEP
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        snap = Snapshot.objects.create(contest=contest, built_at=timezone.now(), days_open=int(days_open), mu=mu,
                                       frozen=frozen)
        target = _partition(snap.pk) if postgres else _SNAPSHOT_TABLE
        acc = "((s.correct + %s) / (s.answered + %s))"
        # Table names come from the models (and the snapshot's integer id); every value is a parameter.
        sql = f"""
            INSERT INTO {target}
                (snapshot_id, rank, member_id, org_id, org_path, path_1, path_2, path_3, score, accuracy, days,
                 correct)
            SELECT %s, ROW_NUMBER() OVER (ORDER BY {acc} * (s.days / %s) DESC, s.correct DESC, s.time_ms ASC,
                                                   s.last_at ASC, s.member_id ASC),
                   s.member_id, s.org_id, s.org_path, substr(s.org_path, 1, %s), substr(s.org_path, 1, %s),
                   substr(s.org_path, 1, %s), {acc} * (s.days / %s), {acc}, s.days, s.correct
            FROM {Standing._meta.db_table} s WHERE s.contest_id = %s AND s.period = 'season'
        """  # noqa: S608
        params = [snap.pk, m * mu, m, days_open, 2 * step, 3 * step, 4 * step, m * mu, m, days_open, m * mu, m,
                  contest.pk]
        with connection.cursor() as cursor:
            if postgres:
                # Rank and index a million rows in memory rather than in temporary files (this transaction only).
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute(f"DROP TABLE IF EXISTS {target}")  # left by a test database's reset ids
                cursor.execute(f"CREATE TABLE {target} (LIKE {_SNAPSHOT_TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
                cursor.execute(sql, params)
                _attach(cursor, snap.pk)
            else:
                cursor.execute(sql, params)
        snap.built_at = timezone.now()
        Snapshot.objects.filter(pk=snap.pk).update(built_at=snap.built_at)
        log_event("quiz.snapshot.built", actor=actor, obj=contest, data={"frozen": frozen, "snapshot": snap.pk})
    # Older unfrozen snapshots are no longer read (their partitions go first: `_drop_partition`).
    Snapshot.objects.filter(contest=contest, frozen=False).exclude(pk=snap.pk).delete()
    if postgres and not connection.in_atomic_block:
        # The visibility map, so that a member's rank in a subtree (a count of the rows before
        # theirs) is an index-only scan: 0.9 ms instead of 3.2 ms for a branch of 2,000. About
        # 0.15 s for a million rows; autovacuum would get there later. (Not in a transaction:
        # VACUUM cannot run in one.)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {_partition(snap.pk)}")
    return snap


_SNAPSHOT_TABLE = SnapshotRow._meta.db_table
# What every partition needs to be attached without an index build under the parent's lock:
# the parent's constraints and indexes (migration quiz/0004, the model's Meta), same columns.
# The parent's key and unique rank are constraints, so the partition's must be constraints too
# (a bare unique index would not be taken, and ATTACH would build another).
_PARTITION_INDEXES = (
    "ALTER TABLE {t} ADD PRIMARY KEY (snapshot_id, id)",
    "ALTER TABLE {t} ADD UNIQUE (snapshot_id, rank)",
    "CREATE INDEX ON {t} (snapshot_id, member_id)",
    "CREATE INDEX ON {t} (snapshot_id, path_1, rank)",
    "CREATE INDEX ON {t} (snapshot_id, path_2, rank)",
    "CREATE INDEX ON {t} (snapshot_id, path_3, rank)",
)


def _partition(snapshot_id: int) -> str:
    return f"{_SNAPSHOT_TABLE}_s{int(snapshot_id)}"


@receiver(pre_delete, sender=Snapshot, dispatch_uid="quiz_snapshot_drop_partition")
def _drop_partition(sender, instance: Snapshot, **kwargs) -> None:
    """However a snapshot is deleted (a rebuild replacing it, a contest deleted), its partition
    is dropped first, in the deleting transaction: the cascade that follows then deletes
    nothing row by row (pre_delete precedes the collector's deletes)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_partition(instance.pk)}")


def _attach(cursor, snapshot_id: int) -> None:
    """Index the filled partition, prove its one snapshot id with a CHECK (so ATTACH need not
    scan it under the parent's lock), attach it, and give the planner its statistics: with
    none it guesses a handful of rows and joins a whole street before sorting it (seconds)
    instead of walking (snapshot, path_d, rank) and stopping at the limit (milliseconds)."""
    table = _partition(snapshot_id)
    for sql in _PARTITION_INDEXES:
        cursor.execute(sql.format(t=table))
    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_one CHECK (snapshot_id = {int(snapshot_id)})")
    cursor.execute(f"ALTER TABLE {_SNAPSHOT_TABLE} ATTACH PARTITION {table} FOR VALUES IN ({int(snapshot_id)})")
    cursor.execute(f"ANALYZE {table}")
