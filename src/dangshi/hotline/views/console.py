"""Console pages of the hotline centre and the handling orgs: the queue, a request and its
actions, 转为实事, escalation, KPIs and imports."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.core.import_reports import import_failed, import_report
from dangshi.core.tabular import ImportFailed
from dangshi.errors import DomainError
from dangshi.hotline import actions, selectors
from dangshi.hotline.intake import requests_import
from dangshi.hotline.models import State
from dangshi.hotline.services import requests_escalate_overdue


def _request_or_404(request, request_id: int):
    req = selectors.request_or_none(scope=request.scope, request_id=request_id)
    if req is None:
        raise Http404(_("未找到该工单。"))
    return req


@require_GET
def console_queue(request):
    scope = request.scope
    scope.require_admin()
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").strip()
    overdue = request.GET.get("overdue") == "1"
    now = timezone.now()
    qs = selectors.request_queue(scope=scope, state=state, q=q, overdue=overdue, now=now)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "hotline/console_queue.html", {
        "page": page, "state": state, "q": q, "overdue": overdue, "states": State.choices, "now": now,
    })


@require_GET
def console_request(request, request_id: int):
    scope = request.scope
    scope.require_admin()
    req = _request_or_404(request, request_id)
    return render(request, "hotline/console_request.html", {
        "req": req, "caller": selectors.caller_shown(req, request.user),
        "content": selectors.content_shown(req, scope, request.user),
        "updates": selectors.request_updates(req=req), "co_orgs": [c.org for c in req.co_orgs.select_related("org")],
        "extensions": req.extensions.order_by("-asked_at"), "allowed": selectors.actions_allowed(scope=scope, req=req),
        "orgs": scope.orgs().order_by("path")[:2000] if scope.is_office else [],
        "overdue": req.is_overdue(timezone.now()),
    })


@require_POST
def console_request_act(request, request_id: int):
    scope = request.scope
    scope.require_admin()
    req = _request_or_404(request, request_id)
    try:
        actions.perform(scope=scope, actor=request.user, req=req, data=request.POST)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存。"))
    return redirect("hotline:console_request", request_id=req.pk)


@require_http_methods(["GET", "POST"])
def console_request_matter(request, request_id: int):
    """转为实事 / 关联实事: the request, the other requests of its 问题分类 to take along, a new
    draft matter or an existing one. Only the centre and the handling org reach this page."""
    scope = request.scope
    scope.require_admin()
    req = _request_or_404(request, request_id)
    if "matter" not in selectors.actions_allowed(scope=scope, req=req):
        raise Http404(_("未找到该工单。"))
    if request.method == "POST":
        data = request.POST.copy()
        if data.get("mode") != "link":
            data["matter"] = ""
        try:
            matter, created = actions.matter_perform(scope=scope, actor=request.user, req=req, data=data)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("hotline:console_request_matter", request_id=req.pk)
        messages.success(request, (_("已转为实事(草稿):%(t)s") if created else _("已关联实事:%(t)s")) % {"t": matter.title})
        return redirect("hotline:console_request", request_id=req.pk)
    return render(request, "hotline/console_request_matter.html",
                  {"req": req, **selectors.matter_link_options(scope=scope, req=req)})


@require_POST
def console_escalate(request):
    scope = request.scope
    scope.require_office()
    n = requests_escalate_overdue(scope=scope, actor=request.user)
    messages.success(request, _("已督办超期工单 %(n)d 件。") % {"n": n})
    return redirect(reverse("hotline:console_queue") + "?overdue=1")


@require_GET
def console_kpis(request):
    scope = request.scope
    scope.require_office()
    today = timezone.localdate()
    try:
        month = date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        month = today.replace(day=1)
    root = scope.home_org
    ranking = selectors.monthly_ranking(root_path=root.path if root else "\x00", month=month)
    return render(request, "hotline/console_kpis.html", {
        "month": month, "ranking": ranking, "weights": selectors.WEIGHTS, "penalties": selectors.PENALTIES,
        "chart": {"names": [k.org_name for k in ranking[:15]],
                  "scores": [k.score for k in ranking[:15]]},
    })


@require_http_methods(["GET", "POST"])
def console_import(request):
    scope = request.scope
    scope.require_office()
    context = {"sources": selectors.import_sources()}
    if request.method == "POST":
        upload = request.FILES.get("file")
        source = selectors.import_sources().filter(pk=request.POST.get("source") or 0).first()
        if upload is None:
            context["error"] = _("请选择要导入的文件。")
        else:
            try:
                result = requests_import(file=upload, filename=upload.name, scope=scope, actor=request.user,
                                         source=source)
            except ImportFailed as failure:
                context.update(import_failed(request, failure, upload, kind="hotline"))
            except DomainError as exc:
                context["error"] = exc.message
            else:
                messages.success(request, _("导入完成:共 %(rows)d 行,新增 %(created)d 件,已存在跳过 %(skipped)d 件。")
                                 % {"rows": result.rows, "created": result.created, "skipped": result.skipped})
                return redirect("hotline:console_queue")
    return render(request, "hotline/console_import.html", context)


@require_GET
def console_import_report(request, report_token: str):
    request.scope.require_office()
    return import_report(request, report_token, kind="hotline", filename="12345工单导入错误报告.xlsx")
