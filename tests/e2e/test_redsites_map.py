"""The red-sites map and the on-site check-in, in headless Chromium, with nothing beyond
localhost reachable (every other request is aborted and recorded)."""

import random

import pytest

from dangshi.redsites.demo import SITES, _point
from dangshi.redsites.models import SiteKind
from tests.e2e.conftest import closed_network, login, screenshot
from tests.factories import PASSWORD
from tests.redsites.helpers import route, site


@pytest.fixture
def district(world):
    rng = random.Random(2021)
    sites = []
    for name, kind, level, text in SITES:
        lat, lng = _point(rng)
        sites.append(site(world.root, name=name, kind=kind, level=level, lat=lat, lng=lng, is_demo=True,
                          address="红星区(演示)", opening_hours="9:00—17:00", description=text))
    bus = route(world.root, [sites[i] for i in (0, 2, 1, 5, 7)], name="红色巴士 1 号线", is_bus=True)
    return sites, bus


def test_map_shows_markers_filters_and_a_route_offline(world, district, live_server, page):
    sites, bus = district
    tried = closed_network(page, live_server)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/redsites/map/")
    page.wait_for_selector("#redsites-map.ready")
    page.wait_for_selector(".leaflet-marker-icon")
    assert page.get_attribute("#redsites-map", "data-markers") == str(len(sites))
    assert page.locator(".leaflet-marker-icon").count() >= 5  # pins and clusters
    assert page.locator("path.leaflet-interactive, path").count() >= 1  # the district outline

    page.select_option("select[name=kind]", SiteKind.STATION)
    stations = sum(1 for _n, kind, _l, _t in SITES if kind == SiteKind.STATION)
    assert page.get_attribute("#redsites-map", "data-markers") == str(stations)
    assert page.locator("#map-count").inner_text() == f"共 {stations} 处"
    page.select_option("select[name=kind]", "")

    page.select_option("select[name=route]", str(bus.pk))
    page.wait_for_selector("path.route-line")
    page.wait_for_timeout(400)  # let the fitBounds animation settle for the screenshot
    screenshot(page, "redsites-map")

    # A single pin opens the site card.
    page.locator(".redsite-pin").first.click()
    page.wait_for_selector("#site-card:not([hidden])")
    assert "详情与打卡" in page.locator("#site-card").inner_text()
    assert tried == [], f"the map reached beyond localhost: {tried}"
    assert errors == []


def test_member_checks_in_on_site_and_is_refused_far_away(world, live_server, browser):
    near = site(world.branch_a, name="现场打卡纪念馆", lat=30.5928, lng=114.3055, geofence_m=300,
                address="红星区东湖路 18 号(演示)")
    far = site(world.branch_a, name="远处的旧址", lat=30.70, lng=114.50, geofence_m=300)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN", geolocation={"latitude": 30.5935, "longitude": 114.3057},
                                  permissions=["geolocation"])
    page = context.new_page()
    try:
        tried = closed_network(page, live_server)
        login(page, live_server, "member_a", PASSWORD)
        page.wait_for_url(f"{live_server.url}/m/")
        page.goto(f"{live_server.url}/redsites/c/{near.pk}/")
        page.click("#checkin-button")
        page.wait_for_selector(".checkin-result.ok")
        assert "打卡成功" in page.locator("#checkin-result").inner_text()
        screenshot(page, "redsites-checkin")

        page.goto(f"{live_server.url}/redsites/c/{far.pk}/")
        page.click("#checkin-button")
        page.wait_for_selector(".checkin-result.refused")
        assert "超出 300 米打卡范围" in page.locator("#checkin-result").inner_text()

        page.goto(f"{live_server.url}/redsites/m/footprints/")
        assert "现场打卡纪念馆" in page.content() and "远处的旧址" not in page.content()
        screenshot(page, "redsites-footprints")
        assert tried == []
    finally:
        context.close()
