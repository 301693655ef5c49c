"""Reads: the public catalogue, a member's footprints, scoped figures, and the
contracts `reports`/`supervision` read (ROLLUP_METRICS, rollup_facts, member_figures)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangshi.core.contracts import Fact
from dangshi.orgs.scope import Scope
from dangshi.redsites import geo
from dangshi.redsites.models import (
    Achievement,
    Booking,
    BookingStatus,
    CheckIn,
    Hero,
    Route,
    RouteStop,
    Site,
    SiteKind,
    SiteLevel,
    VisitorCount,
)

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org

# -- the public catalogue ----------------------------------------------------------


def site_list(*, kind: str = "", level: str = "", bbox: tuple[float, float, float, float] | None = None,
              q: str = "") -> QuerySet[Site]:
    """Open sites, anyone may read them. bbox = (west, south, east, north), WGS-84."""
    qs = Site.objects.filter(active=True).select_related("org")
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if bbox:
        west, south, east, north = bbox
        qs = qs.filter(lat__gte=south, lat__lte=north, lng__gte=west, lng__lte=east)
    if q:
        qs = qs.filter(name__contains=q)
    return qs.order_by("code")


def site_get(*, site_id: int) -> Site:
    site = (
        Site.objects.filter(pk=site_id, active=True)
        .select_related("org")
        .prefetch_related("photos", "events", "heroes")
        .first()
    )
    if site is None:
        raise Http404(_("未找到该资源点。"))
    return site


def route_list() -> QuerySet[Route]:
    stops = RouteStop.objects.select_related("site").order_by("position")
    return Route.objects.prefetch_related(Prefetch("stops", queryset=stops)).order_by("id")


def route_get(*, route_id: int) -> Route:
    route = route_list().filter(pk=route_id).first()
    if route is None:
        raise Http404(_("未找到该线路。"))
    return route


def route_totals(route: Route) -> dict:
    stops = list(route.stops.all())
    return {
        "distance_km": round(sum(s.distance_m for s in stops) / 1000, 1),
        "travel_minutes": sum(s.travel_minutes for s in stops),
        "stay_minutes": sum(s.stay_minutes for s in stops),
        "stops": len(stops),
    }


def hero_list() -> QuerySet[Hero]:
    return Hero.objects.prefetch_related("sites").order_by("birth_year", "id")


def tile_settings() -> dict:
    """The map's tile source (settings.REDSITES_TILE_*); none set → a plain background with
    the bundled district outline (works on a closed network). Shared by the map page and
    the 驾驶舱's map (reports), which both draw with static/redsites/basemap.js.
    REDSITES_TILE_URL: a Leaflet URL template, e.g. https://tiles.example.gov.cn/{z}/{x}/{y}.png
    REDSITES_TILE_DATUM: wgs84 (default) or gcj02 (AutoNavi/Tencent tiles: markers are shifted).
    Remember CSP_IMG_EXTRA for the tile host."""
    return {
        "tile_url": settings.REDSITES_TILE_URL,
        "tile_attribution": settings.REDSITES_TILE_ATTRIBUTION,
        "tile_datum": settings.REDSITES_TILE_DATUM,
    }


# -- scoped: management, a member's own rows, figures -------------------------------


def sites_bookable() -> QuerySet[Site]:
    """Active sites, for the group-visit booking form."""
    return Site.objects.filter(active=True).order_by("code")


def site_managed(*, scope: Scope) -> QuerySet[Site]:
    """Sites whose managing org is in the admin's reach."""
    return scope.filter(Site.objects.select_related("org"), org_field="org").order_by("code")


def map_layer(*, scope: Scope, org: Org) -> dict:
    """Open sites managed by `org` or an org under it, within the viewer's reach, as points
    for a map drawn on basemap.js (the 驾驶舱's), with the kind and level labels once.
    A province has thousands of sites: plain values and short keys keep the page small;
    the GCJ-02 position is added only when the configured tiles need it."""
    gcj = tile_settings()["tile_datum"] == "gcj02"
    rows = (site_managed(scope=scope).filter(active=True, org__path__startswith=org.path)
            .values_list("pk", "name", "kind", "level", "lat", "lng"))
    points = []
    for pk, name, kind, level, lat, lng in rows:
        point = {"id": pk, "name": name, "kind": kind, "level": level, "lat": round(lat, 6), "lng": round(lng, 6)}
        if gcj:
            point["gcj02"] = [round(v, 6) for v in reversed(geo.wgs84_to_gcj02(lat, lng))]
        points.append(point)
    return {"points": points, "kinds": {k: str(v) for k, v in SiteKind.choices},
            "levels": {k: str(v) for k, v in SiteLevel.choices}}


def site_managed_or_404(*, scope: Scope, site_id: int) -> Site:
    site = site_managed(scope=scope).filter(pk=site_id).first()
    if site is None:
        raise Http404(_("未找到该资源点。"))
    return site


def checkins_in_scope(*, scope: Scope) -> QuerySet[CheckIn]:
    """Check-ins of members in reach (an admin's orgs, or a member's own)."""
    return scope.filter(CheckIn.objects.all(), org_field="org", member_field="member")


def bookings_in_scope(*, scope: Scope) -> QuerySet[Booking]:
    return scope.filter(Booking.objects.select_related("slot__site", "org"), org_field="org")


def booking_or_404(*, scope: Scope, booking_id: int) -> Booking:
    booking = bookings_in_scope(scope=scope).filter(pk=booking_id).first()
    if booking is None:
        raise Http404(_("未找到该预约。"))
    return booking


def footprints(*, member: Member) -> dict:
    """A member's 足迹: every check-in (newest first), sites lit, achievements."""
    checkins = list(CheckIn.objects.filter(member=member).select_related("site").order_by("-day", "-id"))
    lit = {c.site_id for c in checkins}
    return {
        "checkins": checkins,
        "lit": len(lit),
        "total_sites": Site.objects.filter(active=True).count(),
        "achievements": list(Achievement.objects.filter(member=member)),
        "lit_ids": lit,
    }


def sites_lit(*, member: Member) -> int:
    """How many distinct sites the member has checked in at (点亮)."""
    return CheckIn.objects.filter(member=member).aggregate(n=Count("site", distinct=True))["n"]


def stats(*, scope: Scope, start: date, end: date, top: int = 10) -> dict:
    """Figures for an admin's reach over [start, end]:
    - check-ins by members of orgs in reach (per site per month, per org);
    - anonymous visitors counted at sites their orgs manage;
    - group visits held by orgs in reach (attendees);
    累计接受教育人次 is the sum of the three."""
    checkins = checkins_in_scope(scope=scope).filter(day__gte=start, day__lte=end)
    visitors = VisitorCount.objects.filter(site__in=site_managed(scope=scope), day__gte=start, day__lte=end)
    held = bookings_in_scope(scope=scope).filter(status=BookingStatus.HELD, slot__date__gte=start,
                                                 slot__date__lte=end)

    per_month: dict[tuple, dict] = defaultdict(lambda: {"checkins": 0, "visitors": 0, "attendees": 0})
    for row in checkins.annotate(month=TruncMonth("day")).values("site__name", "month").annotate(n=Count("id")):
        per_month[(row["site__name"], row["month"])]["checkins"] += row["n"]
    for row in visitors.annotate(month=TruncMonth("day")).values("site__name", "month").annotate(n=Sum("count")):
        per_month[(row["site__name"], row["month"])]["visitors"] += row["n"]
    for row in held.annotate(month=TruncMonth("slot__date")).values("slot__site__name", "month").annotate(
            n=Sum("attendees")):
        per_month[(row["slot__site__name"], row["month"])]["attendees"] += row["n"] or 0
    months = [
        {"site": site, "month": month, **v, "total": sum(v.values())}
        for (site, month), v in sorted(per_month.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
    by_site: dict[str, int] = defaultdict(int)
    for m in months:
        by_site[m["site"]] += m["total"]
    by_org = list(checkins.values("org__name", "org__code").annotate(n=Count("id")).order_by("-n", "org__code"))
    total = sum(m["total"] for m in months)
    return {
        "months": months,
        "by_org": by_org,
        "most_visited": sorted(by_site.items(), key=lambda kv: (-kv[1], kv[0]))[:top],
        "education_total": total,
        "checkins": sum(m["checkins"] for m in months),
        "visitors": sum(m["visitors"] for m in months),
        "attendees": sum(m["attendees"] for m in months),
    }


# -- contracts (core/contracts.py) ----------------------------------------------------

ROLLUP_METRICS = {
    "redsites.checkins": gettext_lazy("红色打卡人次"),
    "redsites.visits": gettext_lazy("组织参观红色资源场次"),
    "redsites.visit_attendees": gettext_lazy("组织参观人次"),
    "redsites.visitors": gettext_lazy("资源点散客参观人次"),
}


def rollup_facts(*, start: date, end: date, root_path: str = ""):
    """Check-ins at the member's org; a held visit (and its attendees) at the booking org;
    anonymous visitors at the site's managing org. Each counted once: additive."""
    checkins = (CheckIn.objects.filter(day__gte=start, day__lte=end, org__path__startswith=root_path)
                .values("org__path").annotate(n=Count("id")))
    for row in checkins:
        yield Fact(row["org__path"], "redsites.checkins", row["n"])
    held = (Booking.objects.filter(status=BookingStatus.HELD, slot__date__gte=start, slot__date__lte=end,
                                   org__path__startswith=root_path)
            .values("org__path").annotate(n=Count("id"), people=Sum("attendees")))
    for row in held:
        yield Fact(row["org__path"], "redsites.visits", row["n"])
        yield Fact(row["org__path"], "redsites.visit_attendees", row["people"] or 0)
    visitors = (VisitorCount.objects.filter(day__gte=start, day__lte=end, site__org__path__startswith=root_path)
                .values("site__org__path").annotate(n=Sum("count")))
    for row in visitors:
        yield Fact(row["site__org__path"], "redsites.visitors", row["n"] or 0)


def member_figures(*, member: Member, start: date, end: date) -> dict[str, object]:
    qs = CheckIn.objects.filter(member=member, day__gte=start, day__lte=end)
    figures = qs.aggregate(n=Count("id"), sites=Count("site", distinct=True))
    return {_("红色打卡(次)"): figures["n"], _("点亮红色地标(处)"): figures["sites"]}
