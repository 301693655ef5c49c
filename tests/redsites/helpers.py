"""Builders for red-site test data."""

import itertools

from dangshi.redsites.models import Route, RouteStop, Site, SiteKind, SiteLevel

_seq = itertools.count(1)
# A point in Wuhan (WGS-84); the test world's sites sit around it.
HERE = (30.5928, 114.3055)


def site(org, *, name=None, kind=SiteKind.MEMORIAL, level=SiteLevel.DISTRICT, lat=HERE[0], lng=HERE[1], **fields) -> Site:
    n = next(_seq)
    return Site.objects.create(code=fields.pop("code", f"T-RS-{n:04d}"), name=name or f"测试纪念馆{n}", kind=kind,
                               level=level, lat=lat, lng=lng, org=org, **fields)


def route(org, sites, *, name="测试教学线路", is_bus=False) -> Route:
    r = Route.objects.create(name=name, org=org, is_bus=is_bus, audience="党员")
    for i, s in enumerate(sites, 1):
        RouteStop.objects.create(route=r, site=s, position=i, distance_m=0 if i == 1 else 1500,
                                 travel_minutes=0 if i == 1 else 5)
    return r
