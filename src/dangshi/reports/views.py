from datetime import date, timedelta

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.core.downloads import attachment
from dangshi.core.tabular import workbook_bytes
from dangshi.errors import DomainError
from dangshi.reports import periods, selectors, services
from dangshi.reports.models import Briefing


def _target(request):
    scope = request.scope
    scope.require_admin()
    code = request.GET.get("org") or request.POST.get("org")
    org = scope.org_or_404(code) if code else scope.home_org
    if org is None:
        raise Http404(_("未找到该组织。"))
    return org


def _period(request, kind: str = "week"):
    key = request.GET.get("period") or request.GET.get("week") or request.POST.get("period")
    try:
        return periods.parse(key) if key else periods.period_of(kind, timezone.localdate())
    except DomainError:
        return periods.period_of(kind, timezone.localdate())


@require_GET
def console_dashboard(request):
    org, period = _target(request), _period(request)
    data = selectors.dashboard(org=org, period=period)
    return render(request, "reports/console_dashboard.html", {"org": org, "period": period, "data": data})


@require_GET
def console_table(request):
    org, period = _target(request), _period(request)
    headers, rows = selectors.table(org=org, period=period)
    return render(request, "reports/console_table.html", {"org": org, "period": period, "headers": headers, "rows": rows})


@require_GET
def console_table_xlsx(request):
    org, period = _target(request), _period(request)
    headers, rows = selectors.table(org=org, period=period)
    return attachment(workbook_bytes(headers, rows, title=period.key), f"stats-{org.code}-{period.key}.xlsx")


@require_http_methods(["GET", "POST"])
def console_briefings(request):
    org = _target(request)
    if request.method == "POST":
        try:
            period = periods.parse(request.POST.get("period", ""))
            briefing = services.briefing_generate(org=org, period=period, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已生成第 %(n)d 期。") % {"n": briefing.number})
        return redirect(f"{request.path}?org={org.code}")
    today = timezone.localdate()
    return render(request, "reports/console_briefings.html", {
        "org": org,
        "briefings": selectors.briefing_list(scope=request.scope, org=org),
        "last_week": periods.period_of("week", today - timedelta(days=7)).key,
        "last_month": periods.period_of("month", today.replace(day=1) - timedelta(days=1)).key,
    })


@require_GET
def briefing_download(request, briefing_id: int):
    scope = request.scope
    scope.require_admin()
    briefing = scope.filter(Briefing.objects.all()).filter(pk=briefing_id).first()
    if briefing is None or not briefing.file:
        raise Http404(_("未找到该简报。"))
    return FileResponse(briefing.file.open("rb"), as_attachment=True, filename=f"{briefing.org.code}-{briefing.period}.docx")


@require_http_methods(["GET", "POST"])
def console_highlights(request):
    scope = request.scope
    scope.require_office()
    org = _target(request)
    if request.method == "POST":
        try:
            target = scope.org_or_404(request.POST.get("highlight_org") or org.code)
            day = date.fromisoformat(request.POST.get("day", ""))
            services.highlight_create(org=target, day=day, title=request.POST.get("title", ""),
                                      text=request.POST.get("text", ""), photo=request.FILES.get("photo"), actor=request.user)
        except ValueError:
            messages.error(request, _("日期格式不正确。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已加入简报亮点。"))
        return redirect(f"{request.path}?org={org.code}")
    period = _period(request)
    return render(request, "reports/console_highlights.html", {
        "org": org, "period": period, "highlights": selectors.highlights(org=org, period=period),
        "today": timezone.localdate(),
    })
