"""Console pages: the campaign structure, the task list (with .xlsx import) and the weekly dispatch."""

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.core.downloads import attachment
from dangshi.core.import_reports import import_failed, import_report
from dangshi.core.tabular import ImportFailed
from dangshi.errors import DomainError
from dangshi.supervision import imports, selectors, services


def _org(request):
    scope = request.scope
    scope.require_admin()
    code = request.GET.get("org") or request.POST.get("org")
    org = scope.org_or_404(code) if code else selectors.structure_org(scope=scope)
    if org is None:
        raise Http404(_("未找到该组织。"))
    return org


def _date(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@require_GET
def console_structure(request):
    org = _org(request)
    return render(request, "supervision/console_structure.html", {"org": org, "groups": selectors.structure(org=org)})


@require_http_methods(["GET", "POST"])
def console_tasks(request):
    org = _org(request)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            group = selectors.group_of(org=org, group_id=request.POST.get("group"))
            services.task_create(
                scope=request.scope, org=org, title=request.POST.get("title", ""), group=group,
                starts_on=_date(request.POST.get("starts_on"), today), due_on=_date(request.POST.get("due_on"), today),
                phase=request.POST.get("phase", ""), deliverables=request.POST.get("deliverables", ""), actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("任务已加入清单。"))
        return redirect(f"{request.path}?org={org.code}")
    status = request.GET.get("status", "")
    return render(request, "supervision/console_tasks.html", {
        "org": org, "rows": selectors.task_list(scope=request.scope, org=org, status=status, today=today),
        "status": status, "statuses": selectors.STATUS_LABELS, "groups": selectors.groups_of(org=org), "today": today,
    })


@require_http_methods(["GET", "POST"])
def console_task(request, task_id: int):
    scope = request.scope
    scope.require_admin()
    task = selectors.task_or_404(scope=scope, task_id=task_id)
    if request.method == "POST":
        try:
            services.task_report(scope=scope, task=task, percent=int(request.POST.get("percent") or 0),
                                 note=request.POST.get("note", ""), evidence=request.FILES.get("evidence"), actor=request.user)
        except ValueError:
            messages.error(request, _("进度应为整数。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("进展已报送。"))
        return redirect(request.path)
    today = timezone.localdate()
    return render(request, "supervision/console_task.html", {
        "task": task, "status": selectors.STATUS_LABELS[selectors.task_status(task, today)],
        "subtasks": [(t, selectors.STATUS_LABELS[selectors.task_status(t, today)]) for t in task.subtasks.all()],
        "reports": task.reports.all()[:50],
    })


@require_http_methods(["GET", "POST"])
def console_tasks_import(request):
    org = _org(request)
    context = {"org": org}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("请选择要导入的文件。")
        else:
            try:
                n = imports.tasks_import(file=upload, scope=request.scope, org=org, actor=request.user, filename=upload.name)
            except ImportFailed as failure:
                context.update(import_failed(request, failure, upload, kind="tasks"))
            except DomainError as exc:
                context["error"] = exc.message
            else:
                messages.success(request, _("导入成功:任务 %(n)d 项。") % {"n": n})
                return redirect(f"/supervision/console/tasks/?org={org.code}")
    return render(request, "supervision/console_tasks_import.html", context)


@require_GET
def console_tasks_template(request):
    request.scope.require_admin()
    return attachment(imports.tasks_template(), "任务清单导入模板.xlsx")


@require_GET
def console_tasks_import_report(request, token: str):
    request.scope.require_admin()
    return import_report(request, token, kind="tasks", filename="任务清单导入错误报告.xlsx")


@require_http_methods(["GET", "POST"])
def console_dispatch(request):
    org = _org(request)
    today = timezone.localdate()
    monday = _date(request.GET.get("week_start") or request.POST.get("week_start"), today - timedelta(days=today.weekday()))
    monday -= timedelta(days=monday.weekday())
    if request.method == "POST":
        try:
            dispatch = services.dispatch_open(scope=request.scope, org=org, week_start=monday,
                                              notes=request.POST.get("notes", ""), actor=request.user)
            if request.POST.get("title"):
                target = request.scope.org_or_404(request.POST["decision_org"]) if request.POST.get("decision_org") else None
                services.dispatch_decide(scope=request.scope, dispatch=dispatch, title=request.POST["title"],
                                         due_on=_date(request.POST.get("due_on"), monday + timedelta(days=13)),
                                         orgs=[target] if target else [], actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录。"))
        return redirect(f"{request.path}?org={org.code}&week_start={monday}")
    agenda = selectors.agenda(root=org, week_start=monday)
    dispatch = selectors.dispatch_of(org=org, week_start=monday)
    return render(request, "supervision/console_dispatch.html", {
        "org": org, "agenda": agenda, "dispatch": dispatch,
        "decisions": dispatch.decisions.all() if dispatch else [],
        "prev": monday - timedelta(days=7), "next": monday + timedelta(days=7),
    })
