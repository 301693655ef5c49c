from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.core import ratelimit
from dangshi.core.context import current
from dangshi.core.import_reports import import_failed, import_report
from dangshi.core.tabular import ImportFailed
from dangshi.errors import DomainError
from dangshi.hotline import actions, open311, selectors
from dangshi.hotline.intake import requests_import
from dangshi.hotline.models import Channel, ImportSource, Kind, State
from dangshi.hotline.services import request_create, requests_escalate_overdue
from dangshi.orgs.models import Org


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
        "extensions": req.extensions.order_by("-asked_at"), "allowed": actions.allowed(scope, req),
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
    if "matter" not in actions.allowed(scope, req):
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
    context = {"sources": ImportSource.objects.order_by("name")}
    if request.method == "POST":
        upload = request.FILES.get("file")
        source = ImportSource.objects.filter(pk=request.POST.get("source") or 0).first()
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
    return import_report(request, report_token, kind="hotline", filename="hotline-errors.xlsx")


@login_not_required
@require_http_methods(["GET", "POST"])
def public_form(request):
    """The public form (no login): rate-limited per IP; shows the number, never echoes personal data."""
    context = {"kinds": Kind.choices, "services": selectors.service_list(), "values": {}}
    if request.method == "POST":
        p = request.POST
        context["values"] = {k: p.get(k, "") for k in ("kind", "service", "content", "address")}
        try:
            ratelimit.check(f"hotline-form:{current().ip}", limit=5, window=3600)
            service = selectors.service_list().filter(code=p.get("service", "")).first()
            intake = Org.objects.filter(depth=0).order_by("path").first()
            if service is None or intake is None:
                raise DomainError(_("请选择诉求类别。"), field="service")
            req = request_create(intake_org=intake, channel=Channel.FORM, kind=p.get("kind", ""),
                                 content=p.get("content", "")[:4000], service=service,
                                 caller_name=p.get("name", "")[:50], caller_phone=p.get("phone", "")[:30],
                                 address=p.get("address", "")[:200])
        except DomainError as exc:
            context["error"] = exc.message
        else:
            return render(request, "hotline/public_done.html", {"number": req.number})
    return render(request, "hotline/public_form.html", context)


# -- Open311 GeoReport v2 (public) -------------------------------------------------------------


def _o311(handler):
    @login_not_required
    @csrf_exempt  # a machine API authenticated by api_key, not a cookie
    def view(request, o311_format: str, **kwargs):
        return open311.dispatch(handler, request, o311_format, *kwargs.values())

    view.__name__ = handler.__name__
    return view


@login_not_required
@csrf_exempt
def open311_requests(request, o311_format: str):
    if request.method == "POST":
        return open311.dispatch(open311.requests_post, request, o311_format)
    if request.method != "GET":
        return open311.error(o311_format, 405, "method not allowed")
    return open311.dispatch(open311.requests_get, request, o311_format)


open311_discovery = _o311(open311.discovery)
open311_services = _o311(open311.services)
open311_service = _o311(open311.service_definition)
open311_request = _o311(open311.request_detail)
open311_token = _o311(open311.token_lookup)
