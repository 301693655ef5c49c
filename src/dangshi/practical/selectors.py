"""Reads: scoped matter lists, schedule health, 开工率 / completion rates, the "must still
claim" list, the public board, and the contracts `reports` and `supervision` read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangshi.core.contracts import AgendaItem, Fact, providers
from dangshi.orgs.choices import MemberCategory
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import org_by_code, org_subtree, path_chain
from dangshi.practical.models import (
    DONE_STATES,
    PUBLIC_STATES,
    Claim,
    ClaimRole,
    ClaimRule,
    Deed,
    DeedCategory,
    DeedStatus,
    Field,
    Matter,
    Rating,
    State,
    Tier,
)
from dangshi.practical.rules import DEFAULT_RULES, HEALTH_LABELS, LAGGING, OVERDUE, Rule, health, rate

if TYPE_CHECKING:
    from dangshi.orgs.models import Campaign, Member, Org


# -- claim rules -----------------------------------------------------------------------
def rule_for(*, campaign: Campaign, category: str) -> Rule:
    """The campaign's claim rule for a member category, else the district default."""
    row = ClaimRule.objects.filter(campaign=campaign, category=category).first()
    if row is None:
        return DEFAULT_RULES[category]
    return Rule(may_lead=row.may_lead, min_leads=row.min_leads, max_leads=row.max_leads, may_join=row.may_join)


# -- matters -------------------------------------------------------------------------
def _member_chain(scope: Scope) -> list[str]:
    return path_chain(scope.member_org_path or "")


def matters_in_scope(*, scope: Scope) -> QuerySet[Matter]:
    """Admins: every matter of their subtree. Members: the published matters of their own org
    and the orgs above it (those they may claim), and any they have claimed."""
    qs = Matter.objects.all()
    if scope.org_paths:
        return qs.filter(scope.org_q("org"))
    if scope.member_id is not None:
        return qs.filter(Q(org__path__in=_member_chain(scope), state__in=PUBLIC_STATES)
                         | Q(claims__member_id=scope.member_id)).distinct()
    return qs.none()


def matter_list(*, scope: Scope, tier: str = "", field: str = "", state: str = "", org: Org | None = None,
                q: str = "", top_only: bool = False) -> QuerySet[Matter]:
    qs = matters_in_scope(scope=scope)
    if tier:
        qs = qs.filter(tier=tier)
    if field:
        qs = qs.filter(field=field)
    if state:
        qs = qs.filter(state=state)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if q:
        qs = qs.filter(title__contains=q)
    if top_only:
        qs = qs.filter(parent__isnull=True)
    return qs.select_related("org").order_by("-tier", "planned_end", "id")


def matters_linkable(*, scope: Scope) -> QuerySet[Matter]:
    """Matters in reach that other modules may link items to (not cancelled)."""
    return matter_list(scope=scope).exclude(state=State.CANCELLED)


def matter_or_404(*, scope: Scope, matter_id: int) -> Matter:
    matter = matters_in_scope(scope=scope).select_related("org", "campaign", "parent").filter(pk=matter_id).first()
    if matter is None:
        raise Http404(_("未找到该实事。"))
    return matter


def health_of(matter: Matter, *, today: date | None = None) -> str:
    return health(state=matter.state, progress=matter.progress, planned_start=matter.planned_start,
                  planned_end=matter.planned_end, tolerance=matter.tolerance, today=today or timezone.localdate())


def with_health(matters, *, today: date | None = None) -> list[Matter]:
    today = today or timezone.localdate()
    out = list(matters)
    for m in out:
        m.health = health_of(m, today=today)
        m.health_label = HEALTH_LABELS[m.health]
    return out


# -- items linked from other modules ------------------------------------------------------
# Modules above practical (hotline: 12345 requests) link their items to matters; practical
# may not import them, so it reads them through two provider contracts in their selectors:
#   matter_source_counts(*, matter_ids) -> dict[int, int]
#   matter_sources(*, scope, matter_id, limit=200) -> tuple[int, list]
def with_source_counts(matters) -> list[Matter]:
    """The matters, each with `request_count` (its linked items), one query per provider."""
    matters = list(matters)
    counts: dict[int, int] = defaultdict(int)
    for _label, count_of in providers("matter_source_counts"):
        for pk, n in count_of(matter_ids=[m.pk for m in matters]).items():
            counts[pk] += n
    for m in matters:
        m.request_count = counts.get(m.pk, 0)
    return matters


def matter_linked_items(*, scope: Scope, matter_id: int, limit: int = 200) -> tuple[int, list]:
    """The items linked to a matter: how many in all, and those in the user's reach."""
    total, shown = 0, []
    for _label, sources_of in providers("matter_sources"):
        n, items = sources_of(scope=scope, matter_id=matter_id, limit=limit)
        total += n
        shown += items
    return total, shown[:limit]


def matter_detail(*, matter: Matter, today: date | None = None) -> dict:
    return {
        "matter": with_health([matter], today=today)[0],
        "children": with_health(matter.children.select_related("org"), today=today),
        "milestones": list(matter.milestones.all()),
        "reports": list(matter.reports.select_related("actor").prefetch_related("evidence")[:20]),
        "claims": list(matter.claims.select_related("member", "member__org")),
        "transitions": list(matter.transitions.select_related("actor")),
        "adjustments": list(matter.adjustments.select_related("requested_by").order_by("-requested_at")),
        "satisfaction": satisfaction(matter=matter),
    }


# -- rates ---------------------------------------------------------------------------
@dataclass
class RateRow:
    key: str
    label: str
    total: int = 0
    started: int = 0
    completed: int = 0
    on_schedule: int = 0
    lagging: int = 0
    overdue: int = 0

    @property
    def started_rate(self):
        return rate(self.started, self.total)

    @property
    def completion_rate(self):
        return rate(self.completed, self.total)


def _counted(campaign: Campaign | None, root: Org | None) -> QuerySet[Matter]:
    """Matters that count: top-level (sub-matters are parts of one), neither draft nor cancelled."""
    qs = Matter.objects.filter(parent__isnull=True, state__in=PUBLIC_STATES)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if root is not None:
        qs = qs.filter(org__path__startswith=root.path)
    return qs


def rates(*, root: Org, by: str, campaign: Campaign | None = None, today: date | None = None) -> list[RateRow]:
    """开工率 (started ÷ total) and completion rate, grouped by "tier", "field" or "org" (the
    children of `root`, each with its subtree; matters owned by `root` itself on their own row)."""
    today = today or timezone.localdate()
    rows: dict[str, RateRow] = {}
    if by == "tier":
        for v, label in Tier.choices:
            rows[v] = RateRow(v, str(label))
    elif by == "field":
        for v, label in Field.choices:
            rows[v] = RateRow(v, str(label))
    children = list(root.children.order_by("path")) if by == "org" else []
    for child in children:
        rows[child.path] = RateRow(child.code, child.name)
    # Plain tuples, not model instances: this runs over every matter of a city's catalogue.
    columns = ("org__path", "tier", "field", "state", "progress", "planned_start", "planned_end", "tolerance",
               "started_on", "completed_on")
    for path, tier, field, state, progress, start, end, tolerance, started_on, completed_on in _counted(
            campaign, root).values_list(*columns).iterator(chunk_size=5000):
        if by == "org":
            key = next((c.path for c in children if path.startswith(c.path)), root.path)
            if key not in rows:
                rows[key] = RateRow(root.code, root.name)
        else:
            key = tier if by == "tier" else field
        row = rows[key]
        row.total += 1
        row.started += bool(started_on and started_on <= today)
        row.completed += bool(state in DONE_STATES and completed_on and completed_on <= today)
        h = health(state=state, progress=progress, planned_start=start, planned_end=end, tolerance=tolerance,
                   today=today)
        row.on_schedule += h == "on_schedule"
        row.lagging += h == LAGGING
        row.overdue += h == OVERDUE
    return [r for r in rows.values() if r.total or by != "org"]


def rate_totals(rows: list[RateRow]) -> RateRow:
    total = RateRow("", _("合计"))
    for r in rows:
        for f in ("total", "started", "completed", "on_schedule", "lagging", "overdue"):
            setattr(total, f, getattr(total, f) + getattr(r, f))
    return total


# -- claiming ------------------------------------------------------------------------
def must_claim(*, scope: Scope, campaign: Campaign) -> QuerySet[Member]:
    """Members whose category must lead at least N matters and who lead fewer (cancelled
    matters do not count): the office's "still required to claim" list."""
    conditions = Q(pk__in=[])
    for category in MemberCategory.values:
        need = rule_for(campaign=campaign, category=category).min_leads
        if need:
            conditions |= Q(category=category, leads__lt=need)
    leads = Count("practical_claims", filter=Q(practical_claims__role=ClaimRole.LEAD,
                                               practical_claims__matter__campaign=campaign)
                  & ~Q(practical_claims__matter__state=State.CANCELLED))
    return (scope.members().filter(active=True, org__path__startswith=campaign.root.path)
            .annotate(leads=leads).filter(conditions).select_related("org").order_by("org__path", "id"))


def member_claims(*, member_id: int) -> QuerySet[Claim]:
    return Claim.objects.filter(member_id=member_id).select_related("matter", "matter__org").order_by("-created_at")


def claimable(*, scope: Scope) -> QuerySet[Matter]:
    chain = _member_chain(scope)
    return (Matter.objects.filter(org__path__in=chain, state__in=(State.PUBLISHED, State.CLAIMED, State.IN_PROGRESS,
                                                                  State.ADJUSTED), children__isnull=True)
            .exclude(claims__member_id=scope.member_id).select_related("org").order_by("-tier", "planned_end"))


# -- deeds ---------------------------------------------------------------------------
def deeds_in_scope(*, scope: Scope, status: str = "") -> QuerySet[Deed]:
    qs = scope.filter(Deed.objects.all(), org_field="org", member_field="member")
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("member", "org").order_by("-happened_on", "-id")


def deed_totals(*, root: Org, start: date | None = None, end: date | None = None) -> dict[str, dict]:
    qs = Deed.objects.filter(org__path__startswith=root.path, status=DeedStatus.CONFIRMED)
    if start:
        qs = qs.filter(happened_on__gte=start)
    if end:
        qs = qs.filter(happened_on__lte=end)
    found = {r["category"]: r for r in qs.values("category").annotate(n=Count("id"), people=Sum("beneficiaries"))}
    return {v: {"label": label, "n": found.get(v, {}).get("n", 0), "people": found.get(v, {}).get("people") or 0}
            for v, label in DeedCategory.choices}


# -- public board ------------------------------------------------------------------------
def board(*, tier: str = "", field: str = "", org_code: str = "") -> QuerySet[Matter]:
    qs = Matter.objects.filter(state__in=PUBLIC_STATES, parent__isnull=True)
    if tier:
        qs = qs.filter(tier=tier)
    if field:
        qs = qs.filter(field=field)
    if org_code:
        org = org_by_code(org_code)
        qs = qs.filter(org__path__startswith=org.path) if org else qs.none()
    return qs.select_related("org").annotate(n_ratings=Count("ratings"), avg=Avg("ratings__score")).order_by(
        "-tier", "planned_end", "id")


def board_orgs() -> QuerySet[Org]:
    """Orgs that own a public matter (for the board's filter)."""
    return org_subtree(root="").filter(matters__state__in=PUBLIC_STATES, matters__parent__isnull=True).distinct().order_by(
        "path")


def board_matter_or_404(*, matter_id: int) -> Matter:
    matter = Matter.objects.filter(state__in=PUBLIC_STATES, pk=matter_id).select_related("org").first()
    if matter is None:
        raise Http404(_("未找到该实事。"))
    return matter


def board_satisfaction() -> dict:
    return satisfaction(qs=Rating.objects.filter(matter__state__in=PUBLIC_STATES))


def satisfaction(*, matter: Matter | None = None, qs=None) -> dict:
    """满意度: the share of ratings of 4 or 5 stars, with the mean and the count."""
    qs = qs if qs is not None else matter.ratings.all()
    agg = qs.aggregate(n=Count("id"), avg=Avg("score"), satisfied=Count("id", filter=Q(score__gte=4)))
    return {"n": agg["n"], "avg": round(agg["avg"], 2) if agg["avg"] else None,
            "rate": rate(agg["satisfied"], agg["n"])}


# -- contracts (core/contracts.py) ---------------------------------------------------------
ROLLUP_METRICS = {
    "practical.matters": gettext_lazy("实事总数"),
    "practical.matters_started": gettext_lazy("已开工实事"),
    "practical.matters_completed": gettext_lazy("已完成实事"),
    "practical.key_matters": gettext_lazy("重点实事"),
    "practical.key_started": gettext_lazy("已开工重点实事"),
    "practical.key_completed": gettext_lazy("已完成重点实事"),
    "practical.deeds.help": gettext_lazy("帮办事务(件)"),
    "practical.deeds.urgent": gettext_lazy("解决急难愁盼(个)"),
    "practical.deeds.dispute": gettext_lazy("化解矛盾纠纷(件)"),
    "practical.deeds.beneficiaries": gettext_lazy("受益群众(人次)"),
}


def rollup_facts(*, start: date, end: date, root_path: str = ""):
    """Each top-level matter of the catalogue counts once, at its owner org; started / completed
    count those started / completed by `end`.
    Deeds count at the org that confirmed them, when they happened within [start, end]."""
    counts: dict[tuple[str, str], float] = defaultdict(float)
    matters = Matter.objects.filter(parent__isnull=True, state__in=PUBLIC_STATES, org__path__startswith=root_path)
    for path, tier, started_on, completed_on in matters.values_list("org__path", "tier", "started_on",
                                                                      "completed_on"):
        started = bool(started_on and started_on <= end)
        completed = bool(completed_on and completed_on <= end)
        counts[(path, "practical.matters")] += 1
        counts[(path, "practical.matters_started")] += started
        counts[(path, "practical.matters_completed")] += completed
        if tier == Tier.KEY:
            counts[(path, "practical.key_matters")] += 1
            counts[(path, "practical.key_started")] += started
            counts[(path, "practical.key_completed")] += completed
    deeds = Deed.objects.filter(status=DeedStatus.CONFIRMED, org__path__startswith=root_path,
                                happened_on__gte=start, happened_on__lte=end)
    for path, category, n, people in deeds.values_list("org__path", "category").annotate(
            n=Count("id"), people=Sum("beneficiaries")).values_list("org__path", "category", "n", "people"):
        counts[(path, f"practical.deeds.{category}")] += n
        counts[(path, "practical.deeds.beneficiaries")] += people or 0
    return [Fact(org_path=p, metric=m, value=v) for (p, m), v in sorted(counts.items())]


def agenda_items(*, root: Org, week_start: date, week_end: date) -> list:
    """Matters lagging their schedule or overdue at the end of the week."""
    items = []
    qs = Matter.objects.filter(org__path__startswith=root.path, state__in=(State.PUBLISHED, State.CLAIMED,
                                                                           State.IN_PROGRESS, State.ADJUSTED))
    for m in with_health(qs.select_related("org").order_by("org__path", "planned_end"), today=week_end):
        if m.health not in (LAGGING, OVERDUE):
            continue
        kind = "matter_overdue" if m.health == OVERDUE else "matter_lagging"
        detail = _("进度 %(p)d%%,计划 %(s)s 至 %(e)s") % {"p": m.progress, "s": m.planned_start, "e": m.planned_end}
        items.append(AgendaItem(module="practical", kind=kind, title=f"{m.health_label}:{m.title}", org_id=m.org_id,
                                org_name=m.org.name, url=reverse("practical:console_matter", args=[m.pk]),
                                detail=detail))
    return items


def member_figures(*, member: Member, start: date, end: date) -> dict[str, object]:
    claims = Claim.objects.filter(member=member, created_at__date__lte=end).exclude(matter__state=State.CANCELLED)
    deeds = Deed.objects.filter(member=member, status=DeedStatus.CONFIRMED, happened_on__gte=start,
                                happened_on__lte=end)
    by_cat = dict(deeds.values_list("category").annotate(n=Count("id")).values_list("category", "n"))
    return {
        _("领办实事(件)"): claims.filter(role=ClaimRole.LEAD).count(),
        _("合领合办实事(件)"): claims.filter(role=ClaimRole.JOINT).count(),
        _("已完成认领实事(件)"): claims.filter(matter__state__in=DONE_STATES).count(),
        **{str(label): by_cat.get(v, 0) for v, label in DeedCategory.choices},
    }
