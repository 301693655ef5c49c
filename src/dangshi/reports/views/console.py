"""Console pages: the dashboard (驾驶舱), the statistical table, briefings and their highlights."""

import mimetypes
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.core.downloads import attachment
from dangshi.core.replica import reads_from_replica
from dangshi.core.storage import file_download
from dangshi.core.tabular import workbook_bytes
from dangshi.errors import DomainError
from dangshi.redsites import selectors as redsites
from dangshi.reports import candidates, periods, selectors, services
from dangshi.reports.models import HighlightSource


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
    with reads_from_replica():  # the scope is checked on the primary, the figures read on the replica
        data = selectors.dashboard(org=org, period=period)
        sites_map = {**redsites.tile_settings(), **redsites.map_layer(scope=request.scope, org=org)}
        return render(request, "reports/console_dashboard.html",
                      {"org": org, "period": period, "data": data, "sites_map": sites_map})


@require_GET
def console_table(request):
    org, period = _target(request), _period(request)
    with reads_from_replica():
        headers, rows = selectors.table(org=org, period=period)
    return render(request, "reports/console_table.html", {"org": org, "period": period, "headers": headers, "rows": rows})


@require_GET
def console_table_xlsx(request):
    org, period = _target(request), _period(request)
    with reads_from_replica():
        headers, rows = selectors.table(org=org, period=period)
    return attachment(workbook_bytes(headers, rows, title=period.key), f"统计表-{org.name}-{period.key}.xlsx")


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
    briefing = selectors.briefing_file_or_404(scope=scope, briefing_id=briefing_id)
    return file_download(briefing.file, filename=f"{briefing.org.name}-{briefing.period}-第{briefing.number}期.docx")


def _highlights_url(request, org, period, source: str = "") -> str:
    query = urlencode({"org": org.code, "period": period.key, **({"source": source} if source else {})})
    return f"{request.path}?{query}"


@require_http_methods(["GET", "POST"])
def console_highlights(request):
    """The office picks the period's highlights from activity reports and orders them."""
    scope = request.scope
    scope.require_office()
    org, period = _target(request), _period(request)
    source = request.GET.get("source") or request.POST.get("source_filter", "")
    source = source if source in HighlightSource.values else ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "pick":
                services.highlight_pick(scope=scope, source=request.POST.get("source", ""),
                                        source_id=_int(request.POST.get("source_id")), actor=request.user)
                messages.success(request, _("已选入简报亮点。"))
            elif action == "unpick":
                services.highlight_unpick(scope=scope, highlight_id=_int(request.POST.get("highlight")), actor=request.user)
                messages.success(request, _("已从简报亮点中移除。"))
            elif action in ("up", "down"):
                services.highlight_move(scope=scope, highlight_id=_int(request.POST.get("highlight")), org=org,
                                        period=period, up=action == "up", actor=request.user)
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(_highlights_url(request, org, period, source))
    return render(request, "reports/console_highlights.html", {
        "org": org, "period": period, "source": source, "sources": HighlightSource.choices,
        "picked": selectors.highlights(org=org, period=period),
        "candidates": candidates.candidate_list(scope=scope, org=org, period=period, source=source),
    })


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _image(file) -> HttpResponse:
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    return file_download(file, content_type=content_type, as_attachment=False)


@require_GET
def candidate_photo(request, source: str, source_id: int, n: int):
    """A photo of an activity report, for the office choosing highlights (scoped like the report)."""
    request.scope.require_office()
    photos = candidates.candidate_get(scope=request.scope, source=source, source_id=source_id).photos
    if not 1 <= n <= len(photos):
        raise Http404(_("未找到该照片。"))
    return _image(photos[n - 1])


@require_GET
def highlight_photo(request, highlight_id: int, n: int):
    photos = list(selectors.highlight_or_404(scope=request.scope, highlight_id=highlight_id).photos.all())
    if not 1 <= n <= len(photos):
        raise Http404(_("未找到该照片。"))
    return _image(photos[n - 1].image)
