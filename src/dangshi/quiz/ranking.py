"""Fair ranking: score = A × P.

A = (c + m·μ) / (n + m): the member's accuracy pulled toward the contest-wide accuracy μ
    (c correct out of n answered in the period; m defaults to one week of questions), so a
    member who answered once and got everything right does not outrank a steady one;
P = days answered ÷ days open in the period (up to the day asked).
Ties: more correct answers, then less total time, then the earlier last submission.

Rankings read `Standing` (month, season) and the day's attempts (one row per member), never
the attempts of a whole season. The season ranking of a large contest is read from a snapshot
rebuilt in one INSERT … SELECT by `dangshi quiz-snapshots` (and frozen at season close for the selection).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, FloatField, Q, Sum, Value, Window
from django.db.models.functions import Cast, RowNumber, Substr
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from dangshi.audit.services import log_event
from dangshi.orgs.models import Member, Org
from dangshi.quiz.models import Attempt, Contest, Snapshot, SnapshotRow, Standing

PERIODS = ("day", "month", "season")
# The season board reads a snapshot younger than this (`dangshi quiz-snapshots`, scheduled every
# few minutes, keeps one fresh for a large contest); without one it ranks live from Standing.
SNAPSHOT_FRESH = timedelta(minutes=10)


@dataclass
class Period:
    kind: str
    key: str  # "season", "2021-07" or "2021-07-01"
    start: date
    end: date  # the last day counted (the day asked, or the window's end)

    @property
    def days_open(self) -> int:
        return max((self.end - self.start).days + 1, 0)


def period_for(*, contest: Contest, kind: str, day: date) -> Period:
    day = min(max(day, contest.starts_on), contest.ends_on)
    if kind == "day":
        return Period("day", day.isoformat(), day, day)
    if kind == "month":
        first = max(day.replace(day=1), contest.starts_on)
        return Period("month", day.strftime("%Y-%m"), first, day)
    return Period("season", "season", contest.starts_on, day)


def _source(contest: Contest, period: Period):
    """Rows with member, org, days, answered, correct, time_ms, last_at for the period."""
    if period.kind == "day":
        return Attempt.objects.filter(contest=contest, day=period.start, submitted_at__isnull=False).annotate(
            days=Value(1), answered=F("total"), last_at=F("submitted_at"), org_path=F("org__path"))
    return Standing.objects.filter(contest=contest, period=period.key)


def contest_mu(*, contest: Contest, period: Period) -> float:
    """μ: the contest-wide accuracy of the period (cached briefly: it moves slowly)."""
    key = f"quiz:mu:{contest.pk}:{period.key}"
    mu = cache.get(key)
    if mu is None:
        totals = _source(contest, period).aggregate(c=Sum("correct"), n=Sum("answered" if period.kind != "day" else "total"))
        mu = (totals["c"] or 0) / totals["n"] if totals["n"] else 0.0
        cache.set(key, mu, 60)
    return mu


def _scored(qs, *, m: int, mu: float, days_open: int):
    accuracy = (Cast(F("correct"), FloatField()) + Value(m * mu)) / (Cast(F("answered"), FloatField()) + Value(float(m)))
    participation = Cast(F("days"), FloatField()) / Value(float(max(days_open, 1)))
    return qs.annotate(acc=accuracy, score=accuracy * participation)


ORDER = [F("score").desc(), F("correct").desc(), F("time_ms").asc(), F("last_at").asc(), F("member_id").asc()]


def leaderboard(*, contest: Contest, org: Org, kind: str = "season", day: date | None = None, limit: int = 100,
                me: Member | None = None) -> dict:
    """Ranked rows of the org's subtree for the period, and `me` (the member's own row and rank)."""
    day = day or timezone.localdate()
    period = period_for(contest=contest, kind=kind, day=day)
    if kind == "season":
        snap = _fresh_snapshot(contest)
        if snap is not None:
            return _from_snapshot(snap, org=org, limit=limit, me=me)
    mu = contest_mu(contest=contest, period=period)
    qs = _scored(_source(contest, period).filter(org_path__startswith=org.path), m=contest.m, mu=mu,
                 days_open=period.days_open)
    ranked = qs.annotate(rank=Window(RowNumber(), order_by=ORDER))
    rows = list(ranked.select_related("member", "org").order_by("rank")[:limit])
    mine = None
    if me is not None:
        mine = next((r for r in rows if r.member_id == me.pk), None) or _rank_of(qs, me)
    return {"period": period, "mu": mu, "m": contest.m, "rows": [_row(r) for r in rows],
            "me": _row(mine) if mine else None}


def _rank_of(qs, me: Member):
    """The member's row with its rank: one more than the rows the ordering puts before it.
    (Filtering a windowed queryset by member would rank that one row alone.)"""
    row = qs.filter(member_id=me.pk).select_related("member", "org").first()
    if row is None:
        return None
    s, c, t, last = row.score, row.correct, row.time_ms, row.last_at
    before = (Q(score__gt=s) | Q(score=s, correct__gt=c) | Q(score=s, correct=c, time_ms__lt=t)
              | Q(score=s, correct=c, time_ms=t, last_at__lt=last)
              | Q(score=s, correct=c, time_ms=t, last_at=last, member_id__lt=row.member_id))
    row.rank = qs.filter(before).count() + 1
    return row


def _row(r) -> dict:
    return {"rank": r.rank, "member_id": r.member_id, "member": r.member.name, "org": r.org.name,
            "score": round(r.score, 6), "accuracy": round(r.acc, 6), "days": r.days, "correct": r.correct}


def _fresh_snapshot(contest: Contest) -> Snapshot | None:
    snap = Snapshot.objects.filter(contest=contest, period="season").order_by("-built_at").first()
    if snap is None or (not snap.frozen and timezone.now() - snap.built_at > SNAPSHOT_FRESH):
        return None
    snap.contest = contest  # and its org, when the caller selected it: no second read
    return snap


def _board_rows(snap: Snapshot, org: Org):
    """The snapshot's rows in `org`'s subtree, as an index read in rank order: the whole contest
    from (snapshot, rank), a subtree down to depth 3 from (snapshot, path_d, rank), a deeper one
    from its depth-3 ancestor's range, filtered. Never a sort of the subtree."""
    rows = SnapshotRow.objects.filter(snapshot=snap)
    if org.contains(snap.contest.org):
        return rows, True
    step = settings.ORG_PATH_STEP
    depth = org.depth
    if depth in SnapshotRow.DEPTHS:
        return rows.filter(**{f"path_{depth}": org.path}), False
    deepest = max(SnapshotRow.DEPTHS)
    return rows.filter(**{f"path_{deepest}": org.path[: step * (deepest + 1)]}, org_path__startswith=org.path), False


# What a board row shows: the member's name, not their (encrypted, decrypted on load) phone or ID.
# Read as tuples, not model instances: building 300 instances (row, member, org) was half of a
# top-100 request's CPU (docs/perf/quiz.md).
_ROW_FIELDS = ("rank", "member_id", "member__name", "org__name", "score", "accuracy", "days", "correct")


def _snapshot_row(values: tuple, rank: int) -> dict:
    _rank, member_id, member, org, score, accuracy, days, correct = values
    return {"rank": rank, "member_id": member_id, "member": member, "org": org, "score": round(score, 6),
            "accuracy": round(accuracy, 6), "days": days, "correct": correct}


def _from_snapshot(snap: Snapshot, *, org: Org, limit: int, me: Member | None) -> dict:
    rows, whole = _board_rows(snap, org)
    ranked = rows.order_by("rank").values_list(*_ROW_FIELDS)[:limit]
    out = [_snapshot_row(r, position) for position, r in enumerate(ranked, start=1)]
    mine = None
    if me is not None:
        row = next((r for r in out if r["member_id"] == me.pk), None)
        if row is not None:
            mine = dict(row)
        else:
            values = rows.filter(member=me).values_list(*_ROW_FIELDS).first()
            if values is not None:
                # The rank within the subtree: the contest-wide rank for the whole board, else the
                # rows before it in the same index range.
                rank = values[0] if whole else rows.filter(rank__lt=values[0]).count() + 1
                mine = _snapshot_row(values, rank)
    period = Period("season", "season", snap.contest.starts_on, timezone.localtime(snap.built_at).date())
    return {"period": period, "mu": snap.mu, "m": snap.contest.m, "rows": out, "me": mine, "snapshot": snap}


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


def org_rankings(*, contest: Contest, org: Org, kind: str = "season", day: date | None = None) -> list[dict]:
    """Per child org: participants, members, participation rate and average accuracy."""
    period = period_for(contest=contest, kind=kind, day=day or timezone.localdate())
    children = list(org.children.order_by("position", "path")) or [org]
    width = len(children[0].path)
    facts = (_source(contest, period).filter(org_path__startswith=org.path)
             .annotate(prefix=Substr("org_path", 1, width)).values("prefix")
             .annotate(people=Count("member_id"), c=Sum("correct"), n=Sum("answered")))
    by_prefix = {f["prefix"]: f for f in facts}
    heads = (Member.objects.filter(active=True, org__path__startswith=org.path)
             .annotate(prefix=Substr("org__path", 1, width)).values("prefix").annotate(n=Count("id")))
    members = {h["prefix"]: h["n"] for h in heads}
    out = []
    for child in children:
        f = by_prefix.get(child.path, {})
        people, n = f.get("people", 0), members.get(child.path, 0)
        out.append({"org": child, "members": n, "participants": people,
                    "participation": people / n if n else 0.0,
                    "accuracy": (f.get("c") or 0) / f["n"] if f.get("n") else 0.0})
    out.sort(key=lambda r: (-r["participation"], -r["accuracy"], r["org"].path))
    return out
