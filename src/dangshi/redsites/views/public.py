"""Public catalogue pages (map, site, route sheet, heroes, the QR landing page)."""

import io

import qrcode
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangshi.core import ratelimit
from dangshi.errors import DomainError
from dangshi.redsites import selectors, services
from dangshi.redsites.models import SiteKind, SiteLevel


@login_not_required
@require_GET
def map_page(request):
    config = {
        **selectors.tile_settings(),
        "sites_url": reverse("api:redsites_sites_geojson"),
        "routes_url": reverse("api:redsites_routes_list"),
        "site_url": reverse("redsites:site", kwargs={"site_id": 0}),
    }
    return render(request, "redsites/map.html", {
        "config": config, "kinds": SiteKind.choices, "levels": SiteLevel.choices, "routes": selectors.route_list(),
    })


@login_not_required
@require_GET
def site_page(request, site_id: int):
    site = selectors.site_get(site_id=site_id)
    return render(request, "redsites/site.html", {"site": site})


@login_not_required
@require_GET
def route_sheet(request, route_id: int):
    route = selectors.route_get(route_id=route_id)
    return render(request, "redsites/route_sheet.html", {"route": route, "totals": selectors.route_totals(route)})


@login_not_required
@require_GET
def heroes(request):
    return render(request, "redsites/heroes.html", {"heroes": selectors.hero_list()})


@login_not_required
@require_GET
def site_qr(request, site_id: int):
    """The QR code printed at the site: it opens the check-in page."""
    site = selectors.site_get(site_id=site_id)
    url = request.build_absolute_uri(reverse("redsites:checkin_page", kwargs={"site_id": site.pk}))
    out = io.BytesIO()
    qrcode.make(url, border=2).save(out, format="PNG")
    return HttpResponse(out.getvalue(), content_type="image/png")


@login_not_required
@require_GET
def checkin_page(request, site_id: int):
    """Where the QR code leads. A logged-in member checks in (with the browser's location
    when the site has a geofence); anyone else may be counted as a visitor."""
    site = selectors.site_get(site_id=site_id)
    scope = request.scope
    return render(request, "redsites/checkin.html", {
        "site": site,
        "is_member": scope.is_member,
        "checkin_url": reverse("api:redsites_checkin", kwargs={"site_id": site.pk}),
        "footprints_url": reverse("redsites:footprints"),
    })


@login_not_required
@require_POST
def visitor_count(request, site_id: int):
    site = selectors.site_get(site_id=site_id)
    # One tap per visitor (per browser session, not per IP: visitors on one carrier NAT
    # share an address), so a page left open or tapped again cannot inflate the count.
    if request.session.session_key is None:
        request.session.save()
    key = f"redsites-visitor:{site.pk}:{request.session.session_key}"
    try:
        ratelimit.check(key, limit=1, window=600)
        total = services.visitor_count(site=site)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("欢迎参观!今日已有 %(n)d 位游客到访。") % {"n": total})
    return redirect("redsites:checkin_page", site_id=site.pk)
