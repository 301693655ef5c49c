"""五个一 compliance, computed from `Activity` rows (counted catalogue reads and confirmed
offline activities).

The rule, per requirement: its units are the calendar units lying wholly inside the
period (months for the book, 旬 for the film, Monday–Sunday weeks for the song, days for
the short video; the experience once per campaign). A member meets the requirement when
every such unit holds at least one activity of its kind, and is compliant for the period
when every requirement with at least one unit in it is met. So a month asks for a book,
three films, a song in each whole week and a video every day; a week asks for a song and
seven videos; a day for one video.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.errors import Invalid
from dangshi.learning.models import Activity, FiveOneKind
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import member_subtree, org_child_list

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org

KINDS = [FiveOneKind.BOOK, FiveOneKind.FILM, FiveOneKind.SONG, FiveOneKind.VIDEO, FiveOneKind.EXPERIENCE]


@dataclass(frozen=True)
class Period:
    kind: str  # day, week, xun, month, campaign, custom
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} ~ {self.end:%Y-%m-%d}"

    @property
    def code(self) -> str:
        return f"custom:{self.start}:{self.end}" if self.kind in ("custom", "campaign") else f"{self.kind}:{self.start}"


def _xun_of(d: date) -> tuple[date, date]:
    if d.day <= 10:
        return d.replace(day=1), d.replace(day=10)
    if d.day <= 20:
        return d.replace(day=11), d.replace(day=20)
    return d.replace(day=21), d.replace(day=calendar.monthrange(d.year, d.month)[1])


def period_parse(text: str, *, today: date | None = None, campaign=None) -> Period:
    """`day:2021-05-13`, `week:<a day of it>`, `xun:<a day of it>`, `month:2021-05`,
    `campaign`, `custom:<start>:<end>`; empty means this month. A period that has not
    ended yet is cut at today."""
    today = today or timezone.localdate()
    period = _parse(text, today, campaign)
    if period.start <= today < period.end:
        # A period still running is judged "to date": only the units already complete count.
        return Period(period.kind, period.start, today)
    return period


def _parse(text: str, today: date, campaign) -> Period:
    kind, _sep, rest = (text or "month").partition(":")
    try:
        if kind == "campaign":
            if campaign is None:
                raise Invalid(_("当前没有学习教育活动。"), field="period")
            return Period("campaign", campaign.starts_on, campaign.ends_on)
        if kind == "custom":
            a, b = rest.split(":")
            start, end = date.fromisoformat(a), date.fromisoformat(b)
            if end < start or (end - start).days > 400:
                raise ValueError
            return Period("custom", start, end)
        if kind == "month":
            d = date.fromisoformat(rest + "-01") if rest else today.replace(day=1)
            return Period("month", d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1]))
        d = date.fromisoformat(rest) if rest else today
        if kind == "day":
            return Period("day", d, d)
        if kind == "week":
            monday = d - timedelta(days=d.weekday())
            return Period("week", monday, monday + timedelta(days=6))
        if kind == "xun":
            return Period("xun", *_xun_of(d))
    except ValueError:
        pass
    raise Invalid(_("统计周期格式不正确:%(p)s") % {"p": text}, field="period")


def units(period: Period) -> dict[str, list[tuple[date, date]]]:
    """Each requirement's units lying wholly inside the period."""
    start, end = period.start, period.end
    months, xuns, weeks = [], [], []
    d = start
    while d <= end:
        month_end = d.replace(day=calendar.monthrange(d.year, d.month)[1])
        if d.day == 1 and month_end <= end:
            months.append((d, month_end))
        xs, xe = _xun_of(d)
        if xs == d and xe <= end:
            xuns.append((xs, xe))
        if d.weekday() == 0 and d + timedelta(days=6) <= end:
            weeks.append((d, d + timedelta(days=6)))
        d += timedelta(days=1)
    days = (end - start).days + 1
    return {
        FiveOneKind.BOOK: months,
        FiveOneKind.FILM: xuns,
        FiveOneKind.SONG: weeks,
        FiveOneKind.VIDEO: [(start, end)] * days,  # counted as distinct days below
        FiveOneKind.EXPERIENCE: [(start, end)] if period.kind == "campaign" else [],
    }


def _counters(period: Period) -> tuple[dict[str, int], dict[str, Count]]:
    """Units needed per kind due in the period, and for each a conditional COUNT(DISTINCT unit)
    so that one pass over the period's activities counts every requirement at once."""
    spans = units(period)
    needed = {k: len(v) for k, v in spans.items() if v}
    counters = {}
    for kind in needed:
        if kind == FiveOneKind.VIDEO:
            unit = Case(When(kind=kind, then=F("day")))
        elif kind == FiveOneKind.EXPERIENCE:
            unit = Case(When(kind=kind, then=Value(0)), output_field=IntegerField())
        else:
            unit = Case(*(When(kind=kind, day__range=s, then=Value(i)) for i, s in enumerate(spans[kind])),
                        output_field=IntegerField())
        counters[f"n_{kind}"] = Count(unit, distinct=True)
    return needed, counters


def _activities(member_q: Q, period: Period, needed):
    return Activity.objects.filter(member_q, kind__in=list(needed), day__range=(period.start, period.end))


def _coverage(member_q: Q, period: Period) -> tuple[dict[str, int], dict[str, dict[int, int]]]:
    """(units needed per kind, {kind: {member_id: units covered}}), in one query."""
    needed, counters = _counters(period)
    covered: dict[str, dict[int, int]] = {k: {} for k in needed}
    if needed:
        for row in _activities(member_q, period, needed).values("member_id").annotate(**counters):
            for kind, n in needed.items():
                covered[kind][row["member_id"]] = min(row[f"n_{kind}"], n)
    return needed, covered


def _is_compliant(member_id: int, needed, covered) -> bool:
    return bool(needed) and all(covered[k].get(member_id, 0) >= n for k, n in needed.items())


def compliance_by_org(*, root_path: str, period: Period) -> dict[str, tuple[int, int]]:
    """{org path: (members assessed, members compliant)} for orgs holding members directly
    (additive). Compliance is decided in the database (HAVING every count reaches its need),
    so only per-org totals cross the wire: two grouped queries for a whole district."""
    members = member_subtree(root=root_path)
    assessed = dict(members.values("org__path").annotate(n=Count("id")).values_list("org__path", "n"))
    needed, counters = _counters(period)
    compliant: dict[str, int] = {}
    if needed:
        ok = (_activities(Q(member__org__path__startswith=root_path, member__active=True), period, needed)
              .values("member_id").annotate(**counters)
              .filter(**{f"n_{k}__gte": n for k, n in needed.items()}).values("member_id"))
        compliant = dict(members.filter(pk__in=ok).values("org__path").annotate(n=Count("id"))
                         .values_list("org__path", "n"))
    return {p: (a, compliant.get(p, 0)) for p, a in assessed.items()}


def org_rates(*, scope: Scope, org: Org, period: Period) -> list[dict]:
    """The org itself, then each child: members assessed, compliant, rate (subtree sums)."""
    if not scope.reaches(org):
        raise Http404(_("未找到该组织。"))
    by_path = compliance_by_org(root_path=org.path, period=period)
    rows = []
    for o in [org, *org_child_list(org=org)]:
        assessed = sum(a for p, (a, c) in by_path.items() if p.startswith(o.path))
        compliant = sum(c for p, (a, c) in by_path.items() if p.startswith(o.path))
        rows.append({"org": o, "assessed": assessed, "compliant": compliant,
                     "rate": round(100 * compliant / assessed, 1) if assessed else None})
    return rows


def behind_list(*, scope: Scope, org: Org, period: Period, limit: int = 500) -> list[dict]:
    """Members of the subtree who are behind, with what they miss (for the branch secretary)."""
    if not scope.reaches(org):
        raise Http404(_("未找到该组织。"))
    needed, covered = _coverage(Q(member__org__path__startswith=org.path, member__active=True), period)
    out = []
    for m in member_subtree(root=org).select_related("org").order_by("org__path", "pk"):
        missing = [(FiveOneKind(k).label, covered[k].get(m.pk, 0), n) for k, n in needed.items()
                   if covered[k].get(m.pk, 0) < n]
        if missing:
            out.append({"member": m, "missing": missing})
            if len(out) >= limit:
                break
    return out


def member_compliance(*, member: Member, period: Period) -> dict:
    needed, covered = _coverage(Q(member=member), period)
    rows = [(FiveOneKind(k).label, covered[k].get(member.pk, 0), n) for k, n in needed.items()]
    return {"compliant": _is_compliant(member.pk, needed, covered), "rows": rows}
