"""红色资源 API. The catalogue (sites, routes, GeoJSON) is public: read without a login.
Check-in needs a logged-in member (session or token)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from dangshi.core.apiutil import Paged
from dangshi.errors import Invalid, Refused
from dangshi.orgs.selectors import member_of
from dangshi.redsites import geo, selectors, services
from dangshi.redsites.transfer import sites_geojson

router = Router(tags=["redsites"])


class SiteFilter(Schema):
    kind: str = ""
    level: str = ""
    bbox: str = ""
    q: str = ""


class OrgRef(Schema):
    code: str
    name: str


class SiteOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    level: str
    level_label: str
    address: str
    lat: float
    lng: float
    gcj02: list[float]
    opening_hours: str
    capacity: int
    contact: str
    geofence_m: int | None
    org: OrgRef
    is_demo: bool

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_gcj02(obj):
        return list(geo.wgs84_to_gcj02(obj.lat, obj.lng))


class HeroOut(Schema):
    id: int
    name: str
    years: str
    deeds: str


class EventOut(Schema):
    year: int | None
    title: str


class SiteDetailOut(SiteOut):
    description: str
    heroes: list[HeroOut]
    events: list[EventOut]
    photos: list[str]

    @staticmethod
    def resolve_heroes(obj):
        return list(obj.heroes.all())

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())

    @staticmethod
    def resolve_photos(obj):
        return [p.image.url for p in obj.photos.all()]


class StopOut(Schema):
    position: int
    site_id: int
    site_name: str
    lat: float
    lng: float
    distance_m: int
    travel_minutes: int
    stay_minutes: int

    @staticmethod
    def resolve_site_name(obj):
        return obj.site.name

    @staticmethod
    def resolve_lat(obj):
        return obj.site.lat

    @staticmethod
    def resolve_lng(obj):
        return obj.site.lng


class RouteOut(Schema):
    id: int
    name: str
    audience: str
    suggested_minutes: int
    is_bus: bool
    description: str
    stops: list[StopOut]

    @staticmethod
    def resolve_stops(obj):
        return list(obj.stops.all())


class CheckInIn(Schema):
    lat: float | None = None
    lng: float | None = None


class CheckInOut(Schema):
    id: int
    site_id: int
    day: str
    created: bool
    distance_m: int | None
    lit: int


def _bbox(raw: str):
    if not raw:
        return None
    try:
        west, south, east, north = (float(v) for v in raw.split(","))
    except ValueError:
        raise Invalid(_("bbox 应为 西,南,东,北 四个数字(WGS-84)。"), field="bbox") from None
    if west > east or south > north:
        raise Invalid(_("bbox 应为 西,南,东,北 四个数字(WGS-84)。"), field="bbox")
    return west, south, east, north


@router.get("sites", response=list[SiteOut], auth=None, summary="红色资源点(公开;kind、level、bbox=西,南,东,北 筛选)")
@paginate(Paged)
def redsites_sites_list(request, filters: Query[SiteFilter]):
    return selectors.site_list(kind=filters.kind, level=filters.level, bbox=_bbox(filters.bbox), q=filters.q)


@router.get("sites.geojson", auth=None, summary="全部资源点,GeoJSON(RFC 7946,WGS-84)")
def redsites_sites_geojson(request, filters: Query[SiteFilter]):
    sites = selectors.site_list(kind=filters.kind, level=filters.level, bbox=_bbox(filters.bbox), q=filters.q)
    return JsonResponse(sites_geojson(sites), content_type="application/geo+json",
                        json_dumps_params={"ensure_ascii": False})


@router.get("sites/{site_id}", response=SiteDetailOut, auth=None, summary="一个资源点(公开)")
def redsites_site_detail(request, site_id: int):
    return selectors.site_get(site_id=site_id)


@router.get("routes", response=list[RouteOut], auth=None, summary="教学线路(公开)")
def redsites_routes_list(request):
    return selectors.route_list()


@router.post("sites/{site_id}/check-in", response={200: CheckInOut, 201: CheckInOut}, summary="党员现场打卡")
def redsites_checkin(request, site_id: int, payload: CheckInIn):
    scope = request.scope
    if not scope.is_member:
        raise Refused(_("只有党员可以打卡。"))
    member = member_of(scope=scope)
    site = selectors.site_get(site_id=site_id)
    checkin, created = services.checkin_create(member=member, site=site, lat=payload.lat, lng=payload.lng,
                                               actor=request.user)
    lit = selectors.sites_lit(member=member)
    return 201 if created else 200, {
        "id": checkin.pk, "site_id": site.pk, "day": str(checkin.day), "created": created,
        "distance_m": checkin.distance_m, "lit": lit,
    }
