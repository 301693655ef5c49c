"""Writes of the supervision app: structure, task list, progress, reminders, dispatch,
guidance visits, quarterly reviews and competitions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core.uploads import upload_check
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.orgs.scope import Scope
from dangshi.supervision.models import (
    Competition,
    Dispatch,
    Group,
    GroupKind,
    GroupMember,
    GuidanceAssignment,
    Indicator,
    Priority,
    Rectification,
    Reminder,
    Review,
    Score,
    Task,
    TaskProgress,
    TaskSource,
    Visit,
)
from dangshi.supervision.selectors import ranking_cache_key

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org

REMIND_DAYS = 3  # reminders start this many days before the due date


def _require_reach(scope: Scope, org: Org) -> None:
    if not scope.reaches(org):
        raise Refused(_("该组织不在您的管理范围内。"))


# -- structure ------------------------------------------------------------------

def group_create(*, scope: Scope, org: Org, kind: str, name: str, duties: str = "", position: int = 0, actor=None) -> Group:
    _require_reach(scope, org)
    if kind not in GroupKind.values:
        raise Invalid(_("工作机构类别无效。"), field="kind")
    if not name.strip():
        raise Invalid(_("请填写名称。"), field="name")
    if Group.objects.filter(org=org, name=name.strip()).exists():
        raise Conflict(_("已有同名工作机构。"), field="name")
    with transaction.atomic():
        group = Group.objects.create(org=org, kind=kind, name=name.strip(), duties=duties, position=position)
        log_event("supervision.group.created", actor=actor, obj=group, data={"kind": kind, "name": group.name})
    return group


def group_member_add(*, scope: Scope, group: Group, name: str, title: str = "", role: str = "成员", actor=None) -> GroupMember:
    _require_reach(scope, group.org)
    if not name.strip():
        raise Invalid(_("请填写姓名。"), field="name")
    with transaction.atomic():
        gm = GroupMember.objects.create(group=group, name=name.strip(), title=title, role=role,
                                        position=group.members.count())
        log_event("supervision.group.member_added", actor=actor, obj=group, data={"role": role})
    return gm


def guidance_assign(*, scope: Scope, group: Group, orgs: list[Org], actor=None) -> int:
    _require_reach(scope, group.org)
    if group.kind != GroupKind.GUIDANCE:
        raise Invalid(_("只有巡回指导组才能分配联系单位。"), field="group")
    for org in orgs:
        if not org.path.startswith(group.org.path):
            raise Invalid(_("联系单位应为本组织的下级:%(o)s") % {"o": org.name}, field="orgs")
    with transaction.atomic():
        made = GuidanceAssignment.objects.bulk_create(
            [GuidanceAssignment(group=group, org=o) for o in orgs], ignore_conflicts=True
        )
        log_event("supervision.group.assigned", actor=actor, obj=group, data={"orgs": [o.code for o in orgs]})
    return len(made)


# -- tasks ----------------------------------------------------------------------

def task_create(*, scope: Scope, org: Org, title: str, starts_on: date, due_on: date, group: Group | None = None,
                orgs: list[Org] = (), phase: str = "", priority: int = Priority.NORMAL, deliverables: str = "",
                parent: Task | None = None, dispatch: Dispatch | None = None, actor=None) -> Task:
    _require_reach(scope, org)
    if not title.strip():
        raise Invalid(_("请填写任务内容。"), field="title")
    if due_on < starts_on:
        raise Invalid(_("完成时限不能早于开始日期。"), field="due_on")
    if group is not None and group.org_id != org.pk:
        raise Invalid(_("牵头工作组不属于该组织。"), field="group")
    for o in orgs:
        if not o.path.startswith(org.path):
            raise Invalid(_("责任单位应为本组织或其下级:%(o)s") % {"o": o.name}, field="orgs")
    if parent is not None and parent.org_id != org.pk:
        raise Invalid(_("上级任务不属于该组织。"), field="parent")
    with transaction.atomic():
        task = Task.objects.create(
            org=org, title=title.strip(), starts_on=starts_on, due_on=due_on, group=group, phase=phase,
            priority=priority, deliverables=deliverables, parent=parent, dispatch=dispatch,
            source=TaskSource.DISPATCH if dispatch else TaskSource.MANUAL,
        )
        task.orgs.set(orgs)
        log_event("supervision.task.created", actor=actor, obj=task, data={"title": task.title, "due_on": due_on})
    return task


def _task_in_reach(scope: Scope, task: Task) -> bool:
    return scope.reaches(task.org) or any(scope.reaches(o) for o in task.orgs.all())


def task_report(*, scope: Scope, task: Task, percent: int, note: str, evidence=None, actor=None,
                today: date | None = None) -> TaskProgress:
    """A progress report by the owner or a responsible unit; 100% closes the task."""
    if not _task_in_reach(scope, task):
        raise Refused(_("您不是该任务的责任单位。"))
    if not 0 <= percent <= 100:
        raise Invalid(_("进度应在 0 到 100 之间。"), field="percent")
    if not note.strip():
        raise Invalid(_("请填写进展情况。"), field="note")
    if evidence:
        upload_check(evidence, kind="evidence", field="evidence")
    today = today or timezone.localdate()
    with transaction.atomic():
        # Lock the task: two concurrent reports must not let a lower percent overwrite a higher one.
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.done_on is not None:
            raise Conflict(_("该任务已完成。"))
        report = TaskProgress(task=locked, percent=percent, note=note.strip(), reported_by=actor)
        if evidence:
            report.evidence = evidence
        report.save()
        locked.progress = max(locked.progress, percent)
        if percent == 100:
            locked.done_on = today
        locked.save(update_fields=["progress", "done_on"])
        log_event("supervision.task.reported", actor=actor, obj=locked, data={"percent": percent})
    task.refresh_from_db()
    return report


def task_remind(*, org: Org, today: date | None = None, actor=None) -> list[Reminder]:
    """Record today's reminders for open tasks due within REMIND_DAYS or overdue; run daily.
    The unique (task, day) constraint makes a repeated run a no-op."""
    today = today or timezone.localdate()
    due = Task.objects.filter(org__path__startswith=org.path, done_on__isnull=True,
                              due_on__lte=today + timedelta(days=REMIND_DAYS))
    made = []
    for task in due:
        kind = "overdue" if task.due_on < today else "due_soon"
        try:
            with transaction.atomic():
                made.append(Reminder.objects.create(task=task, day=today, kind=kind))
                log_event("supervision.task.reminded", actor=actor, obj=task, data={"kind": kind})
        except IntegrityError:
            continue
    return made


# -- dispatch -------------------------------------------------------------------

def dispatch_open(*, scope: Scope, org: Org, week_start: date, notes: str = "", actor=None) -> Dispatch:
    _require_reach(scope, org)
    if week_start.weekday() != 0:
        raise Invalid(_("调度会按周记录,请选择周一。"), field="week_start")
    with transaction.atomic():
        dispatch, created = Dispatch.objects.get_or_create(org=org, week_start=week_start, defaults={"notes": notes})
        if not created and notes:
            dispatch.notes = notes
            dispatch.save(update_fields=["notes"])
        log_event("supervision.dispatch.recorded", actor=actor, obj=dispatch, data={"week_start": week_start})
    return dispatch


def dispatch_decide(*, scope: Scope, dispatch: Dispatch, title: str, due_on: date, orgs: list[Org] = (),
                    group: Group | None = None, actor=None) -> Task:
    """A decision of the meeting becomes a new task of the list."""
    return task_create(scope=scope, org=dispatch.org, title=title, starts_on=dispatch.week_start, due_on=due_on,
                       orgs=orgs, group=group, priority=Priority.HIGH, dispatch=dispatch, actor=actor)


# -- guidance visits ------------------------------------------------------------

def visit_create(*, scope: Scope, group: Group, org: Org, visited_on: date, findings: str = "", problems: str = "",
                 items: list[tuple[str, date]] = (), actor=None) -> Visit:
    _require_reach(scope, org)
    if group.kind != GroupKind.GUIDANCE:
        raise Invalid(_("只有巡回指导组才能记录指导。"), field="group")
    if not org.path.startswith(group.org.path):
        raise Invalid(_("被指导单位不在该指导组的范围内。"), field="org")
    for title, due in items:
        if not title.strip():
            raise Invalid(_("请填写整改事项。"), field="items")
        if due < visited_on:
            raise Invalid(_("整改时限不能早于指导日期。"), field="items")
    with transaction.atomic():
        visit = Visit.objects.create(group=group, org=org, visited_on=visited_on, findings=findings, problems=problems)
        Rectification.objects.bulk_create(Rectification(visit=visit, title=t.strip(), due_on=d) for t, d in items)
        log_event("supervision.visit.created", actor=actor, obj=visit, data={"items": len(items)})
    return visit


def rectification_close(*, scope: Scope, item: Rectification, note: str, today: date | None = None, actor=None) -> Rectification:
    _require_reach(scope, item.visit.org)
    if not note.strip():
        raise Invalid(_("请填写整改情况。"), field="note")
    today = today or timezone.localdate()
    with transaction.atomic():
        # Compare-and-set: only an open item is closed, so a double submit cannot re-close it.
        changed = Rectification.objects.filter(pk=item.pk, closed_on__isnull=True).update(closed_on=today, closure_note=note.strip())
        if not changed:
            raise Conflict(_("该整改事项已销号。"))
        item.refresh_from_db()
        log_event("supervision.rectification.closed", actor=actor, obj=item.visit, data={"item": item.pk})
    return item


# -- quarterly review -----------------------------------------------------------

def review_save(*, scope: Scope, member: Member, year: int, quarter: int, text: str, figures: dict,
                publish: bool = False, actor=None) -> Review:
    """Write (or rewrite) a member's 季季评; the secretary edits the drafted text."""
    _require_reach(scope, member.org)
    if not 1 <= quarter <= 4:
        raise Invalid(_("季度应为 1 到 4。"), field="quarter")
    if not text.strip():
        raise Invalid(_("请填写点评。"), field="text")
    with transaction.atomic():
        review, _created = Review.objects.update_or_create(
            member=member, year=year, quarter=quarter,
            defaults={"org": member.org, "text": text.strip(), "figures": figures, "published": publish, "author": actor},
        )
        log_event("supervision.review.saved", actor=actor, obj=review, data={"year": year, "quarter": quarter, "published": publish})
    return review


# -- competitions ---------------------------------------------------------------

def competition_create(*, scope: Scope, org: Org, name: str, starts_on: date, ends_on: date,
                       indicators: list[dict], published: bool = False, actor=None) -> Competition:
    """`indicators`: [{"label", "metric" ("" for office-scored), "weight", "per_member"}]."""
    _require_reach(scope, org)
    if ends_on < starts_on:
        raise Invalid(_("结束日期不能早于开始日期。"), field="ends_on")
    if not indicators:
        raise Invalid(_("至少设置一项指标。"), field="indicators")
    for ind in indicators:
        if int(ind.get("weight", 0)) <= 0:
            raise Invalid(_("权重应为正数。"), field="indicators")
    with transaction.atomic():
        comp = Competition.objects.create(org=org, name=name, starts_on=starts_on, ends_on=ends_on, published=published)
        Indicator.objects.bulk_create(
            Indicator(competition=comp, label=i["label"], metric=i.get("metric", ""), weight=int(i["weight"]),
                      per_member=bool(i.get("per_member", True)))
            for i in indicators
        )
        _forget_ranking(comp.pk)
        log_event("supervision.competition.created", actor=actor, obj=comp, data={"name": name})
    return comp


def _forget_ranking(competition_id: int) -> None:
    """The dashboard caches a competition's ranking (selectors.published_rankings); drop it after commit."""
    transaction.on_commit(lambda: cache.delete(ranking_cache_key(competition_id)))


def score_set(*, scope: Scope, indicator: Indicator, org: Org, value: float, actor=None) -> Score:
    _require_reach(scope, indicator.competition.org)
    if indicator.metric:
        raise Invalid(_("该指标由统计数据计算,不能手工评分。"), field="indicator")
    if org.parent_id != indicator.competition.org_id:
        raise Invalid(_("只能为参赛单位评分。"), field="org")
    with transaction.atomic():
        score, _created = Score.objects.update_or_create(indicator=indicator, org=org, defaults={"value": value})
        _forget_ranking(indicator.competition_id)
        log_event("supervision.score.set", actor=actor, obj=indicator.competition, data={"indicator": indicator.pk, "value": value})
    return score
