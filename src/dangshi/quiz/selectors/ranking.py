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


from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Count, F, FloatField, Q, Sum, Value, Window
from django.db.models.functions import Cast, RowNumber, Substr
from django.utils import timezone

from dangshi.orgs.selectors import member_subtree, path_at_depth
from dangshi.quiz.models import Attempt, Contest, Snapshot, SnapshotRow, Standing

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org

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
    depth = org.depth
    if depth in SnapshotRow.DEPTHS:
        return rows.filter(**{f"path_{depth}": org.path}), False
    deepest = max(SnapshotRow.DEPTHS)
    return rows.filter(**{f"path_{deepest}": path_at_depth(org.path, deepest)}, org_path__startswith=org.path), False


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


def org_rankings(*, contest: Contest, org: Org, kind: str = "season", day: date | None = None) -> list[dict]:
    """Per child org: participants, members, participation rate and average accuracy."""
    period = period_for(contest=contest, kind=kind, day=day or timezone.localdate())
    children = list(org.children.order_by("position", "path")) or [org]
    width = len(children[0].path)
    facts = (_source(contest, period).filter(org_path__startswith=org.path)
             .annotate(prefix=Substr("org_path", 1, width)).values("prefix")
             .annotate(people=Count("member_id"), c=Sum("correct"), n=Sum("answered")))
    by_prefix = {f["prefix"]: f for f in facts}
    heads = (member_subtree(root=org)
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
