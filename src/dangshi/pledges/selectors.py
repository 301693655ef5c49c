"""Reads for 承诺践诺, including the module contracts (docs/architecture.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangshi.core.contracts import AgendaItem, Fact
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import member_none, org_by_code, orgs_by_id, path_chain
from dangshi.pledges import grading
from dangshi.pledges.machine import TRANSITIONS, Action
from dangshi.pledges.models import (
    FULFILLED_STATES,
    PUBLIC_STATES,
    Checklist,
    ChecklistAssignment,
    ChecklistItem,
    ChecklistTick,
    Pledge,
    PledgeItem,
    PledgeProgress,
    PledgeRating,
    PledgeRound,
    State,
    UnitPledge,
    UnitState,
)

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org


# -- rounds ----------------------------------------------------------------------------------
def round_for(*, org: Org, today: date | None = None) -> PledgeRound | None:
    """The latest round of this year whose org holds `org`."""
    today = today or timezone.localdate()
    ancestors = path_chain(org.path)
    return (PledgeRound.objects.filter(org__path__in=ancestors, year=today.year).order_by("-id").first()
            or PledgeRound.objects.filter(org__path__in=ancestors).order_by("-year", "-id").first())


# -- member commitments ------------------------------------------------------------------
def pledge_list(*, scope: Scope, org: Org | None = None, state: str = "") -> QuerySet[Pledge]:
    """Commitments in reach: an admin's subtree, or a member's own."""
    qs = scope.filter(Pledge.objects.all(), org_field="org", member_field="member")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("member", "org", "round").order_by("org__path", "id")


def pledge_or_404(*, scope: Scope, pledge_id: int) -> Pledge:
    pledge = (pledge_list(scope=scope).filter(pk=pledge_id)
              .prefetch_related("items", "progress", "ratings").first())
    if pledge is None:
        raise Http404(_("未找到该承诺。"))
    return pledge


def my_pledges(*, scope: Scope) -> QuerySet[Pledge]:
    if not scope.is_member:
        return Pledge.objects.none()
    return (Pledge.objects.filter(member_id=scope.member_id).select_related("round", "org", "member")
            .prefetch_related("items", "progress").order_by("-round__year", "-id"))


def pledge_of(*, member: Member, round_: PledgeRound) -> Pledge | None:
    """The member's commitment in `round_`, if they have one."""
    return Pledge.objects.filter(round=round_, member=member).first()


def peer_pledges_to_rate(*, member: Member) -> QuerySet[Pledge]:
    """Commitments of the member's branch open for rating, other than their own."""
    return (Pledge.objects.filter(org=member.org, state=State.RATING_OPEN).exclude(member=member)
            .select_related("member").order_by("rating_closes_on"))


def state_counts(*, scope: Scope, org: Org | None = None) -> dict[str, int]:
    rows = pledge_list(scope=scope, org=org).order_by().values("state").annotate(n=Count("id"))
    counts = dict.fromkeys(State.values, 0)
    counts.update({r["state"]: r["n"] for r in rows})
    return counts


# -- 评诺: the rating window ------------------------------------------------------------------
def rating_window_open(*, pledge: Pledge, today: date | None = None) -> bool:
    """The rating window has not passed its closing date (if it has one)."""
    today = today or timezone.localdate()
    return pledge.rating_closes_on is None or today <= pledge.rating_closes_on


def rating_open(*, pledge: Pledge, today: date | None = None) -> bool:
    """The commitment takes ratings now: open for rating and within its window."""
    return (pledge.state, Action.RATE) in TRANSITIONS and rating_window_open(pledge=pledge, today=today)


# -- 亮诺: the public display ---------------------------------------------------------------
def public_org_or_404(code: str) -> Org:
    org = org_by_code(code)
    if org is None:
        raise Http404(_("未找到该组织。"))
    return org


def public_pledges(*, org: Org) -> QuerySet[Pledge]:
    """Published commitments of the subtree. Only fields a public page may show are loaded:
    the member's name and branch, never their phone or ID number."""
    return (
        Pledge.objects.filter(org__path__startswith=org.path, state__in=PUBLIC_STATES)
        .select_related("org", "round", "member")
        .only("id", "state", "member", "org", "round", "grade", "grade_score", "review_comment", "review_released", "published_at",
              "fulfilment_summary", "rating_closes_on", "member__name", "org__name", "org__code", "round__title",
              "round__scale")
        .prefetch_related(
            Prefetch("items", queryset=PledgeItem.objects.order_by("position")),
            Prefetch("progress", queryset=PledgeProgress.objects.order_by("-on", "-id")),
        )
        .annotate(rating_count=Count("ratings"))
        .order_by("org__path", "-published_at", "id")
    )


def public_pledge_or_404(*, pledge_id: int) -> Pledge:
    pledge = Pledge.objects.filter(pk=pledge_id, state__in=PUBLIC_STATES).select_related("org", "round", "member").first()
    if pledge is None:
        raise Http404(_("未找到该承诺。"))
    return pledge


@dataclass
class RatingSummary:
    count: int
    by_kind: dict
    score: object
    grade: str


def rating_summary(*, pledge: Pledge) -> RatingSummary:
    rows = list(PledgeRating.objects.filter(pledge=pledge).values_list("kind", "points"))
    by_kind = defaultdict(int)
    for kind, _points in rows:
        by_kind[kind] += 1
    score = pledge.grade_score if pledge.state in FULFILLED_STATES else grading.weighted_score(
        weights=grading.round_weights(pledge.round), ratings=rows)
    return RatingSummary(len(rows), dict(by_kind), score, pledge.grade or grading.grade_label(score))


# -- unit lists ----------------------------------------------------------------------------
def unit_list(*, scope: Scope, org: Org | None = None, year: int | None = None) -> QuerySet[UnitPledge]:
    qs = scope.filter(UnitPledge.objects.all(), org_field="org") if scope.is_admin else UnitPledge.objects.none()
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("org").order_by("org__path", "year", "position", "id")


def unit_or_404(*, scope: Scope, unit_id: int) -> UnitPledge:
    unit = unit_list(scope=scope).filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("未找到该承诺事项。"))
    return unit


def unit_completion(*, scope: Scope, org: Org, year: int) -> list[dict]:
    """Every unit with a list in the subtree: listed, published, kept and the completion rate."""
    rows = (unit_list(scope=scope, org=org, year=year).order_by().values("org_id", "org__name", "org__code", "org__path")
            .annotate(total=Count("id"), done=Count("id", filter=Q(state=UnitState.DONE)),
                      published=Count("id", filter=~Q(state=UnitState.DRAFT))))
    out = []
    for r in sorted(rows, key=lambda r: r["org__path"]):
        out.append({"org_id": r["org_id"], "name": r["org__name"], "code": r["org__code"], "total": r["total"],
                    "published": r["published"], "done": r["done"],
                    "rate": round(100 * r["done"] / r["total"], 1) if r["total"] else 0.0})
    return out


def unit_showcase(*, org: Org, year: int) -> QuerySet[UnitPledge]:
    """成果展示: the kept commitments of a subtree, public."""
    return (UnitPledge.objects.filter(org__path__startswith=org.path, year=year, state=UnitState.DONE)
            .select_related("org").order_by("org__path", "position"))


# -- checklists ----------------------------------------------------------------------------
def checklists(*, scope: Scope) -> QuerySet[Checklist]:
    """Checklists with an assignment in reach."""
    if not scope.is_admin:
        return Checklist.objects.none()
    reach = scope.filter(ChecklistAssignment.objects.all(), org_field="org").values("checklist_id")
    return Checklist.objects.filter(pk__in=reach).annotate(item_count=Count("items", distinct=True))


def checklist_or_404(*, scope: Scope, checklist_id: int) -> Checklist:
    found = checklists(scope=scope).filter(pk=checklist_id).first()
    if found is None:
        raise Http404(_("未找到该清单。"))
    return found


def checklist_item(*, checklist: Checklist, item_id) -> ChecklistItem | None:
    return ChecklistItem.objects.filter(checklist=checklist, pk=item_id).first()


def checklist_progress(*, scope: Scope, checklist: Checklist) -> dict:
    """Per assigned org in reach: the items ticked; and the completion over all of them."""
    items = list(ChecklistItem.objects.filter(checklist=checklist).order_by("position"))
    assigned = scope.filter(ChecklistAssignment.objects.filter(checklist=checklist), org_field="org")
    orgs = sorted(orgs_by_id(assigned.values_list("org_id", flat=True)).values(), key=lambda o: o.path)
    ticks = ChecklistTick.objects.filter(item__checklist=checklist, org__in=orgs)
    done = defaultdict(dict)
    for t in ticks:
        done[t.org_id][t.item_id] = t
    rows = [{"org": o, "ticks": [done[o.pk].get(i.pk) for i in items], "done": len(done[o.pk]),
             "rate": round(100 * len(done[o.pk]) / len(items), 1) if items else 0.0} for o in orgs]
    total = len(items) * len(orgs)
    ticked = sum(r["done"] for r in rows)
    return {"items": items, "rows": rows, "total": total, "ticked": ticked,
            "rate": round(100 * ticked / total, 1) if total else 0.0,
            "complete_orgs": sum(1 for r in rows if items and r["done"] == len(items))}


# -- reminders (the branch secretary's to-do) -------------------------------------------------
DUE_SOON_DAYS = 7


def secretary_todo(*, scope: Scope, org: Org, today: date | None = None) -> dict:
    """What the secretary of `org` should chase: members without a commitment after the
    deadline, commitments to review, items due soon, ratings to close or closing soon."""
    today = today or timezone.localdate()
    round_ = round_for(org=org, today=today)
    pledges = pledge_list(scope=scope, org=org)
    missing = member_none()
    if round_ is not None and today > round_.commit_by:
        committed = Pledge.objects.filter(round=round_).exclude(state=State.DRAFT).values("member_id")
        missing = (scope.members().filter(org__path__startswith=org.path, active=True).exclude(pk__in=committed)
                   .select_related("org").only("id", "name", "org__name", "org__path")  # no decrypting of phone/ID
                   .order_by("org__path", "id"))
    due_soon = (PledgeItem.objects.filter(pledge__in=pledges.filter(state__in=(State.PUBLISHED, State.FULFILLING)),
                                          done=False, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
                .select_related("pledge__member", "pledge__org").order_by("due_on"))
    ratings_due = pledges.filter(state=State.RATING_OPEN).order_by("rating_closes_on")
    return {
        "round": round_,
        "missing": missing,
        "to_review": pledges.filter(state=State.SUBMITTED),
        "to_rate": pledges.filter(state=State.FULFILMENT_SUBMITTED),
        "due_soon": due_soon,
        "ratings_due": ratings_due,
        "today": today,
    }


# -- module contracts -------------------------------------------------------------------------
def _state_metric_label(state: State) -> str:
    """The label of a per-state metric. Formatted when shown, in the reader's language: a lazy
    string %-formatted at import would be frozen in the language Django started in."""
    return _("党员承诺(%(state)s)") % {"state": state.label}


ROLLUP_METRICS = {
    **{f"pledges.state.{s.value}": lazy(_state_metric_label, str)(s) for s in State},
    "pledges.total": gettext_lazy("党员承诺数"),
    "pledges.fulfilled": gettext_lazy("已践诺评议的承诺"),
    "pledges.units": gettext_lazy("单位承诺事项"),
    "pledges.units_done": gettext_lazy("单位承诺已兑现"),
}


def rollup_facts(*, start: date, end: date, root_path: str = ""):
    """Commitments made in [start, end] by their branch and current state; unit commitments of
    the years the period touches. Each commitment counts once, at its branch: additive."""
    rows = (Pledge.objects.filter(org__path__startswith=root_path, created_at__date__range=(start, end))
            .order_by().values("org__path", "state").annotate(n=Count("id")))
    totals = defaultdict(int)
    for r in rows:
        yield Fact(r["org__path"], f"pledges.state.{r['state']}", r["n"])
        totals[(r["org__path"], "pledges.total")] += r["n"]
        if r["state"] in FULFILLED_STATES:
            totals[(r["org__path"], "pledges.fulfilled")] += r["n"]
    units = (UnitPledge.objects.filter(org__path__startswith=root_path, year__range=(start.year, end.year))
             .order_by().values("org__path").annotate(n=Count("id"), done=Count("id", filter=Q(state=UnitState.DONE))))
    for u in units:
        totals[(u["org__path"], "pledges.units")] += u["n"]
        totals[(u["org__path"], "pledges.units_done")] += u["done"]
    for (path, metric), value in totals.items():
        yield Fact(path, metric, value)


def agenda_items(*, root: Org, week_start: date, week_end: date) -> list[AgendaItem]:
    """Branches with commitments waiting for review, and rating windows past their date."""
    out = []
    waiting = (Pledge.objects.filter(org__path__startswith=root.path, state=State.SUBMITTED)
               .order_by().values("org_id", "org__name", "org__code").annotate(n=Count("id")))
    for r in waiting:
        out.append(AgendaItem(
            module="pledges", kind="pledge_awaiting_review", org_id=r["org_id"], org_name=r["org__name"],
            title=_("%(org)s 有 %(n)d 份党员承诺待审核") % {"org": r["org__name"], "n": r["n"]},
            url=reverse("pledges:console_review") + f"?org={r['org__code']}",
        ))
    overdue = (Pledge.objects.filter(org__path__startswith=root.path, state=State.RATING_OPEN,
                                     rating_closes_on__lt=week_start)
               .order_by().values("org_id", "org__name", "org__code").annotate(n=Count("id")))
    for r in overdue:
        out.append(AgendaItem(
            module="pledges", kind="pledge_rating_overdue", org_id=r["org_id"], org_name=r["org__name"],
            title=_("%(org)s 有 %(n)d 份承诺评议已过截止日期未结束") % {"org": r["org__name"], "n": r["n"]},
            url=reverse("pledges:console_todo") + f"?org={r['org__code']}",
        ))
    return sorted(out, key=lambda a: (a.kind, a.org_name))


def member_figures(*, member: Member, start: date, end: date) -> dict[str, object]:
    pledges = Pledge.objects.filter(member=member, created_at__date__lte=end).exclude(state=State.DRAFT)
    latest = pledges.order_by("-round__year", "-id").first()
    items = PledgeItem.objects.filter(pledge__in=pledges)
    return {
        _("承诺事项"): items.count(),
        _("已完成承诺事项"): items.filter(done=True).count(),
        _("践诺进展报告"): PledgeProgress.objects.filter(pledge__in=pledges, on__range=(start, end)).count(),
        _("承诺状态"): latest.get_state_display() if latest else _("未承诺"),
        _("评诺等次"): (latest.grade if latest and latest.grade else "—"),
    }
