"""/api/v1/supervision/: the task list, progress, the dispatch agenda, competitions, reviews."""

from dataclasses import asdict
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from dangshi.errors import Invalid
from dangshi.supervision import selectors, services

router = Router(tags=["supervision"])


class TaskOut(Schema):
    id: int
    title: str
    org: str
    group: str | None
    orgs: list[str]
    phase: str
    priority: int
    deliverables: str
    starts_on: date
    due_on: date
    progress: int
    done_on: date | None
    status: str
    parent: int | None


class TaskIn(Schema):
    org: str
    title: str
    starts_on: date
    due_on: date
    group: str | None = None
    orgs: list[str] = []
    phase: str = ""
    priority: int = 2
    deliverables: str = ""
    parent: int | None = None


class TaskProgressIn(Schema):
    percent: int
    note: str


def _task_out(task, today) -> dict:
    return {"id": task.pk, "title": task.title, "org": task.org.code, "group": task.group.name if task.group else None,
            "orgs": [o.code for o in task.orgs.all()], "phase": task.phase, "priority": task.priority,
            "deliverables": task.deliverables, "starts_on": task.starts_on, "due_on": task.due_on,
            "progress": task.progress, "done_on": task.done_on, "status": selectors.task_status(task, today),
            "parent": task.parent_id}


@router.get("tasks/", response=list[TaskOut], summary="任务清单(含状态:按期/风险/逾期)")
def supervision_tasks(request, org: str | None = None, status: str = ""):
    scope = request.scope
    scope.require_admin()
    target = scope.org_or_404(org) if org else None
    today = timezone.localdate()
    return [_task_out(t, today) for t, _s in selectors.task_list(scope=scope, org=target, status=status, today=today)]


@router.post("tasks/", response={201: TaskOut}, summary="新增任务")
def supervision_task_create(request, payload: TaskIn):
    scope = request.scope
    scope.require_admin()
    org = scope.org_or_404(payload.org)
    group = selectors.group_named(org=org, name=payload.group) if payload.group else None
    if payload.group and group is None:
        raise Invalid(_("没有这个工作组。"), field="group")
    parent = selectors.tasks_in_reach(scope).filter(pk=payload.parent).first() if payload.parent else None
    task = services.task_create(
        scope=scope, org=org, title=payload.title, starts_on=payload.starts_on, due_on=payload.due_on, group=group,
        orgs=[scope.org_or_404(c) for c in payload.orgs], phase=payload.phase, priority=payload.priority,
        deliverables=payload.deliverables, parent=parent, actor=request.user,
    )
    return 201, _task_out(task, timezone.localdate())


@router.post("tasks/{task_id}/progress", response={201: TaskOut}, summary="报送进展")
def supervision_task_progress(request, task_id: int, payload: TaskProgressIn):
    scope = request.scope
    scope.require_admin()
    task = selectors.task_or_404(scope=scope, task_id=task_id)
    services.task_report(scope=scope, task=task, percent=payload.percent, note=payload.note, actor=request.user)
    return 201, _task_out(task, timezone.localdate())


@router.get("agenda", summary="每周调度会议程(各模块的逾期、滞后、空白事项)")
def supervision_agenda(request, org: str | None = None, week_start: date | None = None):
    scope = request.scope
    scope.require_admin()
    root = scope.org_or_404(org) if org else scope.home_org
    today = timezone.localdate()
    monday = week_start or today
    monday = monday - timedelta(days=monday.weekday())
    agenda = selectors.agenda(root=root, week_start=monday)
    return {"org": root.code, "week_start": agenda.week_start, "week_end": agenda.week_end,
            "items": [asdict(i) for i in agenda.items]}


@router.get("competitions/{competition_id}/ranking", summary="单位比武排名")
def supervision_competition_ranking(request, competition_id: int):
    scope = request.scope
    scope.require_admin()
    comp = selectors.competition_or_404(scope=scope, competition_id=competition_id)
    return {"id": comp.pk, "name": comp.name, "rows": selectors.competition_ranking(competition=comp)}


@router.get("reviews/mine", summary="我的季季评(已公开的)")
def supervision_reviews_mine(request):
    scope = request.scope
    if not scope.is_member:
        return []
    return [{"year": r.year, "quarter": r.quarter, "text": r.text}
            for r in selectors.reviews_for_member(member_id=scope.member_id)]
