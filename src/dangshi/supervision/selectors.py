"""Reads of the supervision app, and its contract with the weekly dispatch
(`agenda_items`: overdue and at-risk tasks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangshi.core import contracts
from dangshi.core.contracts import AgendaItem
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import org_child_list, org_get, orgs_by_id
from dangshi.reports.selectors import child_figures
from dangshi.supervision.models import (
    Competition,
    Dispatch,
    Group,
    GroupKind,
    Rectification,
    Review,
    Task,
    Visit,
)

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org

REMIND_DAYS = 3
LAG_POINTS = 30  # progress this far behind the elapsed share of the time puts a task at risk


class Status:
    DONE = "done"
    ON_SCHEDULE = "on_schedule"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"


STATUS_LABELS = {
    Status.DONE: gettext_lazy("已完成"),
    Status.ON_SCHEDULE: gettext_lazy("按期推进"),
    Status.AT_RISK: gettext_lazy("存在风险"),
    Status.OVERDUE: gettext_lazy("已逾期"),
}


def task_status(task: Task, today: date) -> str:
    """On schedule / at risk / overdue as of `today` (the controlled clock)."""
    if task.done_on is not None and task.done_on <= today:
        return Status.DONE
    if task.due_on < today:
        return Status.OVERDUE
    if (task.due_on - today).days <= REMIND_DAYS:
        return Status.AT_RISK
    span = max((task.due_on - task.starts_on).days, 1)
    elapsed = min(max((today - task.starts_on).days, 0), span)
    if elapsed * 100 / span - task.progress > LAG_POINTS:
        return Status.AT_RISK
    return Status.ON_SCHEDULE


def task_list(*, scope: Scope, org: Org | None = None, status: str = "", today: date) -> list[tuple[Task, str]]:
    qs = tasks_in_reach(scope)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    qs = qs.filter(parent__isnull=True).select_related("group", "org").prefetch_related("orgs", "subtasks")
    rows = [(t, task_status(t, today)) for t in qs.order_by("due_on", "id")[:1000]]
    return [r for r in rows if r[1] == status] if status else rows


def tasks_in_reach(scope: Scope) -> QuerySet[Task]:
    """Tasks owned in reach, and tasks for which a unit in reach is responsible."""
    owned = Task.objects.filter(scope.org_q("org")).values("pk")
    responsible = Task.objects.filter(scope.org_q("orgs")).values("pk")
    return Task.objects.filter(pk__in=owned.union(responsible))


def task_or_404(*, scope: Scope, task_id: int) -> Task:
    task = tasks_in_reach(scope).select_related("group", "org").filter(pk=task_id).first()
    if task is None:
        raise Http404(_("未找到该任务。"))
    return task


def structure(*, org: Org) -> dict[str, list[Group]]:
    groups = Group.objects.filter(org=org).prefetch_related("members", Prefetch("assignments__org"))
    out: dict[str, list[Group]] = {k: [] for k in GroupKind.values}
    for g in groups:
        out[g.kind].append(g)
    return out


def structure_org(*, scope: Scope) -> Org | None:
    """The nearest org in reach (or above it) that has a campaign structure."""
    home = scope.home_org
    if home is None:
        return None
    has = Group.objects.filter(org__path__startswith=home.path).order_by("org__path").values_list("org_id", flat=True).first()
    return org_get(pk=has) if has else home


def groups_of(*, org: Org, kind: str | None = None) -> QuerySet[Group]:
    qs = Group.objects.filter(org=org)
    return qs.filter(kind=kind) if kind is not None else qs


def group_named(*, org: Org, name: str) -> Group | None:
    return Group.objects.filter(org=org, name=name).first()


def group_of(*, org: Org, group_id) -> Group | None:
    """The group `group_id` of `org`'s structure, or None."""
    return Group.objects.filter(org=org, pk=group_id or 0).first()


def guidance_group_or_404(*, scope: Scope, group_id) -> Group:
    """A guidance group (指导组) formed by an org in reach, else 404."""
    group = Group.objects.filter(pk=group_id or 0, kind=GroupKind.GUIDANCE).first()
    if group is None or not scope.reaches(group.org):
        raise Http404(_("未找到该指导组。"))
    return group


# -- the weekly dispatch --------------------------------------------------------

def dispatch_of(*, org: Org, week_start: date) -> Dispatch | None:
    return Dispatch.objects.filter(org=org, week_start=week_start).first()


def agenda_items(*, root: Org, week_start: date, week_end: date) -> list[AgendaItem]:
    """Overdue and at-risk tasks as of the meeting (the Monday), one line per responsible unit."""
    tasks = (Task.objects.filter(org__path__startswith=root.path, starts_on__lte=week_end)
             .exclude(done_on__lt=week_start).select_related("org").prefetch_related("orgs").order_by("due_on", "id"))
    items = []
    for task in tasks:
        status = task_status(task, week_start)  # a task closed later in the week was still open on Monday
        if status not in (Status.OVERDUE, Status.AT_RISK):
            continue
        kind = "task_overdue" if status == Status.OVERDUE else "task_at_risk"
        label = _("逾期") if status == Status.OVERDUE else _("临期或滞后")
        url = reverse("supervision:console_task", args=[task.pk])
        for org in list(task.orgs.all()) or [task.org]:
            items.append(AgendaItem(
                module="supervision", kind=kind, title=f"{label}:{task.title}", org_id=org.pk, org_name=org.name,
                url=url, detail=_("完成时限 %(d)s,进度 %(p)d%%") % {"d": task.due_on, "p": task.progress},
            ))
    return items


@dataclass
class Agenda:
    root: Org
    week_start: date
    week_end: date
    items: list[AgendaItem]

    def by_module(self) -> dict[str, list[AgendaItem]]:
        out: dict[str, list[AgendaItem]] = {}
        for item in self.items:
            out.setdefault(item.module, []).append(item)
        return out


def agenda(*, root: Org, week_start: date) -> Agenda:
    """Every module's lines for the week's dispatch meeting (this app's own tasks included),
    limited to the root's subtree."""
    week_end = week_start + timedelta(days=6)
    items: list[AgendaItem] = []
    for _label, fn in contracts.providers("agenda_items"):
        items.extend(fn(root=root, week_start=week_start, week_end=week_end))
    ids = {i.org_id for i in items}
    paths = {pk: o.path for pk, o in orgs_by_id(ids).items()}
    items = [i for i in items if paths.get(i.org_id, "").startswith(root.path)]
    return Agenda(root, week_start, week_end, items)


# -- visits, reviews, competitions ----------------------------------------------

def visit_list(*, scope: Scope) -> QuerySet[Visit]:
    return scope.filter(Visit.objects.all()).select_related("group", "org").prefetch_related("items")


def visit_or_404(*, scope: Scope, visit_id: int) -> Visit:
    visit = visit_list(scope=scope).filter(pk=visit_id).first()
    if visit is None:
        raise Http404(_("未找到该指导记录。"))
    return visit


def rectification_or_404(*, visit: Visit, item_id) -> Rectification:
    item = Rectification.objects.filter(visit=visit, pk=item_id or 0).first()
    if item is None:
        raise Http404(_("未找到该整改事项。"))
    return item


def review_members(*, scope: Scope, org: Org):
    """The active members of `org` in reach, for the quarter's review list (the first 300)."""
    return scope.members().filter(org=org, active=True).order_by("id")[:300]


def reviews_done(*, members, year: int, quarter: int) -> dict[int, bool]:
    """member id → published, for the members' reviews of the quarter that exist."""
    return dict(Review.objects.filter(member__in=members, year=year, quarter=quarter).values_list("member_id", "published"))


def review_of(*, member: Member, year: int, quarter: int) -> Review | None:
    return Review.objects.filter(member=member, year=year, quarter=quarter).first()


def review_draft(*, member: Member, year: int, quarter: int) -> tuple[dict, str]:
    """The member's figures for the quarter from every module, and a drafted text."""
    start = date(year, 3 * quarter - 2, 1)
    end = (date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - timedelta(days=1)
    figures: dict[str, object] = {}
    for _label, fn in contracts.providers("member_figures"):
        figures.update({str(k): v for k, v in fn(member=member, start=start, end=end).items()})
    parts = "、".join(f"{k}{v}" for k, v in figures.items())
    text = _("%(name)s同志%(y)d年第%(q)d季度") % {"name": member.name, "y": year, "q": quarter}
    text += (_(":%(p)s。") % {"p": parts}) if parts else _("暂无统计数据。")
    text += _("学习态度端正,希望继续保持。")
    return figures, text


def reviews_for_member(*, member_id: int) -> QuerySet[Review]:
    return Review.objects.filter(member_id=member_id, published=True)


def competition_ranking(*, competition: Competition) -> list[dict]:
    """Orgs of the same level (the children of the competition's org), scored: each
    indicator's value over the best value × 100, weighted."""
    children = list(org_child_list(org=competition.org))
    indicators = list(competition.indicators.prefetch_related("scores"))
    values = child_figures(org=competition.org, start=competition.starts_on, end=competition.ends_on)
    raw: dict[int, dict[int, float]] = {}
    for ind in indicators:
        if ind.metric:
            for c in children:
                v = values.get(c.pk, {})
                x = v.get(ind.metric, 0)
                if ind.per_member:
                    members = v.get("orgs.members", 0)
                    x = x / members if members else 0
                raw.setdefault(ind.pk, {})[c.pk] = x
        else:
            scores = {s.org_id: s.value for s in ind.scores.all()}
            raw[ind.pk] = {c.pk: scores.get(c.pk, 0) for c in children}
    total_weight = sum(i.weight for i in indicators) or 1
    rows = []
    for c in children:
        score, parts = 0.0, {}
        for ind in indicators:
            best = max(raw[ind.pk].values(), default=0)
            x = raw[ind.pk].get(c.pk, 0)
            parts[ind.label] = round(x, 3)
            score += ind.weight * (x / best * 100 if best else 0)
        rows.append({"code": c.code, "name": c.name, "score": round(score / total_weight, 1), "values": parts})
    rows.sort(key=lambda r: (-r["score"], r["code"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def competition_list(*, scope: Scope) -> QuerySet[Competition]:
    return scope.filter(Competition.objects.all())


def competition_or_404(*, scope: Scope, competition_id: int) -> Competition:
    comp = competition_list(scope=scope).filter(pk=competition_id).first()
    if comp is None:
        raise Http404(_("未找到该比武。"))
    return comp


def competitions_published(*, org: Org) -> QuerySet[Competition]:
    return Competition.objects.filter(org=org, published=True)


RANKING_CACHE_SECONDS = 900


def ranking_cache_key(competition_id: int) -> str:
    return f"reports:competition:{competition_id}"


def published_rankings(*, org: Org) -> list[dict]:
    """Contract `published_rankings` (read by the reports dashboard): the unit competitions
    published for `org`'s children, each as {"id", "name", "rows": competition_ranking}."""
    out = []
    for c in competitions_published(org=org):
        # A competition spans months: its ranking is a scan of that span, so the dashboard
        # keeps it for a quarter of an hour rather than recomputing it on every view.
        rows = cache.get_or_set(ranking_cache_key(c.pk), lambda c=c: competition_ranking(competition=c),
                                RANKING_CACHE_SECONDS)
        out.append({"id": c.pk, "name": c.name, "rows": rows})
    return out
