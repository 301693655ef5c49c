"""Console pages for org admins: the sites they manage, import/export, posters,
group-visit bookings and the figures of their reach."""

import json
from datetime import date, timedelta

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.core.downloads import XLSX, attachment
from dangshi.core.import_reports import import_failed, import_report
from dangshi.core.tabular import ImportFailed, parse_date
from dangshi.errors import DomainError, Invalid
from dangshi.redsites import selectors, services, transfer
from dangshi.redsites.models import Period
from dangshi.redsites.poster import poster_pdf


@require_GET
def console_sites(request):
    scope = request.scope
    scope.require_admin()
    return render(request, "redsites/console_sites.html", {"sites": selectors.site_managed(scope=scope)})


@require_http_methods(["GET", "POST"])
def console_import(request):
    scope = request.scope
    scope.require_admin()
    context = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise Invalid(_("请选择要导入的文件。"), field="file")
            if upload.name.lower().endswith((".geojson", ".json")):
                created, updated = transfer.sites_import_geojson(data=upload.read(), scope=scope, actor=request.user)
            else:
                created, updated = transfer.sites_import_xlsx(file=upload, scope=scope, actor=request.user,
                                                              filename=upload.name)
        except ImportFailed as failure:  # a GeoJSON file has no sheet to annotate
            context.update(import_failed(request, failure, upload, kind="redsites", report=failure.table is not None))
        except DomainError as exc:
            context["error"] = exc.message
        else:
            messages.success(request, _("导入成功:新增 %(c)d 处,更新 %(u)d 处。") % {"c": created, "u": updated})
            return redirect("redsites:console_sites")
    return render(request, "redsites/console_import.html", context)


@require_GET
def console_import_report(request, token: str):
    request.scope.require_admin()
    return import_report(request, token, kind="redsites", filename="红色资源导入错误报告.xlsx")


@require_GET
def console_export_xlsx(request):
    scope = request.scope
    scope.require_admin()
    return attachment(transfer.sites_xlsx(selectors.site_managed(scope=scope)), "红色资源.xlsx", XLSX)


@require_GET
def console_export_geojson(request):
    scope = request.scope
    scope.require_admin()
    response = JsonResponse(transfer.sites_geojson(selectors.site_managed(scope=scope)),
                            content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = "attachment; filename=redsites.geojson"
    return response


@require_GET
def console_poster(request, site_id: int):
    site = selectors.site_managed_or_404(scope=request.scope, site_id=site_id)
    url = request.build_absolute_uri(reverse("redsites:checkin_page", kwargs={"site_id": site.pk}))
    return attachment(poster_pdf(site=site, checkin_url=url), f"poster-{site.code}.pdf", "application/pdf")


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        start = parse_date(request.GET["start"]) if request.GET.get("start") else today.replace(month=1, day=1)
        end = parse_date(request.GET["end"]) if request.GET.get("end") else today
    except DomainError:
        start, end = today.replace(month=1, day=1), today
    return start, end


@require_GET
def console_stats(request):
    scope = request.scope
    scope.require_admin()
    start, end = _period(request)
    figures = selectors.stats(scope=scope, start=start, end=end)
    chart = {"sites": [s for s, _n in figures["most_visited"]], "values": [n for _s, n in figures["most_visited"]]}
    return render(request, "redsites/console_stats.html", {"figures": figures, "start": start, "end": end,
                                                           "chart": json.dumps(chart, ensure_ascii=False)})


@require_http_methods(["GET", "POST"])
def console_bookings(request):
    scope = request.scope
    scope.require_admin()
    if request.method == "POST":
        try:
            org = scope.org_or_404(request.POST.get("org", ""))
            site = selectors.site_get(site_id=int(request.POST.get("site") or 0))
            day = parse_date(request.POST.get("date", ""))
            people = int(request.POST.get("people") or 0)
            services.booking_create(org=org, site=site, day=day, period=request.POST.get("period", ""),
                                    people=people, topic=request.POST.get("topic", "")[:120], actor=request.user)
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("请完整填写预约信息。")))
        else:
            messages.success(request, _("预约成功。"))
        return redirect("redsites:console_bookings")
    return render(request, "redsites/console_bookings.html", {
        "bookings": selectors.bookings_in_scope(scope=scope)[:200],
        "orgs": scope.orgs().order_by("path")[:500],
        "sites": selectors.sites_bookable(),
        "periods": Period.choices,
        "tomorrow": timezone.localdate() + timedelta(days=1),
    })


@require_POST
def console_booking_hold(request, booking_id: int):
    scope = request.scope
    scope.require_admin()
    booking = selectors.booking_or_404(scope=scope, booking_id=booking_id)
    try:
        services.booking_hold(booking=booking, attendees=int(request.POST.get("attendees") or 0), actor=request.user)
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("请填写实到人数。")))
    else:
        messages.success(request, _("已登记为已开展,并记入宣讲与活动。"))
    return redirect("redsites:console_bookings")
