"""The public catalogue API: sites (kind, level, bbox), one site, routes, GeoJSON."""

import pytest

from dangshi.redsites.geo import wgs84_to_gcj02
from dangshi.redsites.models import SiteEvent
from tests.redsites.helpers import route, site


@pytest.fixture
def catalogue(world):
    museum = site(world.branch_a, name="API纪念馆", kind="memorial", level="national", lat=30.59, lng=114.30)
    ruin = site(world.branch_a, name="API旧址", kind="former_site", level="city", lat=30.70, lng=114.50)
    station = site(world.branch_c, name="API驿站", kind="station", level="district", lat=31.50, lng=115.00)
    SiteEvent.objects.create(site=museum, year=1927, title="支部成立")
    return museum, ruin, station


def _names(response):
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["items"])


def test_anyone_reads_the_site_list_filtered_by_kind_level_and_bbox(world, catalogue):
    anon = world.client(None)
    assert _names(anon.get("/api/v1/redsites/sites")) == ["API旧址", "API纪念馆", "API驿站"]
    assert _names(anon.get("/api/v1/redsites/sites?kind=station")) == ["API驿站"]
    assert _names(anon.get("/api/v1/redsites/sites?level=city")) == ["API旧址"]
    assert _names(anon.get("/api/v1/redsites/sites?bbox=114.0,30.0,114.6,30.8")) == ["API旧址", "API纪念馆"]
    assert anon.get("/api/v1/redsites/sites?bbox=1,2,3").status_code == 422


def test_site_detail_gives_wgs84_and_gcj02_coordinates(world, catalogue):
    museum = catalogue[0]
    body = world.client(None).get(f"/api/v1/redsites/sites/{museum.pk}").json()
    assert (body["lat"], body["lng"]) == (30.59, 114.30)
    assert body["gcj02"] == list(wgs84_to_gcj02(30.59, 114.30))
    assert body["events"] == [{"year": 1927, "title": "支部成立"}]
    assert world.client(None).get("/api/v1/redsites/sites/999999").status_code == 404


def test_routes_list_ordered_stops_with_distance_and_time(world, catalogue):
    museum, ruin, _station = catalogue
    route(world.branch_a, [museum, ruin], name="API线路", is_bus=True)
    (body,) = world.client(None).get("/api/v1/redsites/routes").json()
    assert body["name"] == "API线路" and body["is_bus"]
    assert [(s["position"], s["site_name"], s["distance_m"], s["travel_minutes"]) for s in body["stops"]] == [
        (1, "API纪念馆", 0, 0), (2, "API旧址", 1500, 5)]


def test_geojson_endpoint_serves_rfc7946(world, catalogue):
    response = world.client(None).get("/api/v1/redsites/sites.geojson?kind=memorial")
    assert response["Content-Type"] == "application/geo+json"
    doc = response.json()
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    (feature,) = doc["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [114.30, 30.59]}
    assert doc["bbox"] == [114.30, 30.59, 114.30, 30.59]


def test_closed_sites_are_not_in_the_catalogue(world, catalogue):
    museum = catalogue[0]
    museum.active = False
    museum.save()
    assert "API纪念馆" not in _names(world.client(None).get("/api/v1/redsites/sites"))
    assert world.client(None).get(f"/api/v1/redsites/sites/{museum.pk}").status_code == 404
