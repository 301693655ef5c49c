import json

from tests.reports.conftest import WEEK


def _headlines(data):
    return {h["key"]: h["value"] for h in data["headlines"]}


def test_office_dashboard_shows_the_root_figures_trend_and_ranking(world, fake):
    data = world.client("office").get(f"/api/v1/reports/dashboard?period={WEEK}").json()
    values = _headlines(data)
    assert values["outreach.sessions"] == 6 and values["orgs.members"] == 4 and values["quiz.accuracy"] == 78.0
    assert data["trend"]["weeks"][-1] == WEEK and len(data["trend"]["weeks"]) == 8
    sessions = next(s for s in data["trend"]["series"] if s["key"] == "outreach.sessions")
    assert sessions["values"][-2:] == [7, 6]  # W22 had the 06-01 session
    assert [r["code"] for r in data["ranking"]] == ["ST2", "ST1"]  # 支部C is more active per member


def test_org_admin_dashboard_shows_only_their_subtree(world, fake):
    admin = world.client("admin_a")
    data = admin.get(f"/api/v1/reports/dashboard?period={WEEK}").json()
    assert data["org"]["code"] == "BRA"
    values = _headlines(data)
    assert values["outreach.sessions"] == 2 and values["outreach.audience"] == 60 and values["orgs.members"] == 2
    assert admin.get(f"/api/v1/reports/dashboard?period={WEEK}&org=ROOT").status_code == 404
    assert admin.get(f"/api/v1/reports/dashboard?period={WEEK}&org=BRB").status_code == 404
    page = admin.get(f"/reports/console/dashboard/?period={WEEK}")
    assert page.status_code == 200
    embedded = json.loads(page.content.decode().split('id="dashboard-data" type="application/json">')[1].split("</script>")[0])
    assert _headlines(embedded) == values
    assert "测试社区第二党支部" not in page.content.decode()
    assert admin.get(f"/reports/console/dashboard/?period={WEEK}&org=ROOT").status_code == 404


def test_dashboard_page_uses_local_echarts_and_no_inline_script(world, fake):
    body = world.client("office").get(f"/reports/console/dashboard/?period={WEEK}").content.decode()
    assert "/static/vendor/echarts.min.js" in body and "/static/reports/dashboard.js" in body
    assert 'id="fullscreen"' in body
    scripts = [s.split(">")[0] for s in body.split("<script")[1:]]
    assert all("src=" in s or 'type="application/json"' in s or "nonce=" in s for s in scripts)


def test_outsiders_get_no_dashboard(world, fake):
    for persona in ("outsider", "member_c"):
        assert world.client(persona).get("/api/v1/reports/dashboard").status_code == 404
        assert world.client(persona).get("/reports/console/dashboard/").status_code == 404
    assert world.client(None).get("/api/v1/reports/dashboard").status_code == 401


def _map(body: str) -> dict:
    return json.loads(body.split('id="dashboard-map" type="application/json">')[1].split("</script>")[0])


def test_dashboard_map_shows_the_red_sites_of_the_viewers_subtree_only(world, fake, settings):
    from tests.redsites.helpers import site

    a = site(world.branch_a, name="支部A的红色驿站", lat=30.6, lng=114.0)
    site(world.branch_c, name="支部C的纪念馆", lat=30.55, lng=114.1)
    site(world.root, name="区里的旧址", lat=30.58, lng=114.05)
    site(world.branch_a, name="已关闭的驿站", active=False)
    office = world.client("office").get(f"/reports/console/dashboard/?period={WEEK}").content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in office and "/static/redsites/basemap.js" in office
    assert "redsites/district.geojson" in office and "no-tiles" in office  # the offline base map, no tile server
    assert sorted(p["name"] for p in _map(office)["points"]) == ["区里的旧址", "支部A的红色驿站", "支部C的纪念馆"]
    street = world.client("office").get(f"/reports/console/dashboard/?period={WEEK}&org=ST2").content.decode()
    assert [p["name"] for p in _map(street)["points"]] == ["支部C的纪念馆"]
    admin = world.client("admin_a").get(f"/reports/console/dashboard/?period={WEEK}").content.decode()
    layer = _map(admin)
    assert [(p["id"], p["lat"], p["lng"]) for p in layer["points"]] == [(a.pk, 30.6, 114.0)]
    assert "gcj02" not in layer["points"][0] and layer["kinds"]["memorial"] == "纪念馆"
    assert "支部C的纪念馆" not in admin and "区里的旧址" not in admin
    # Chinese (GCJ-02) tiles configured: each point carries its shifted position too.
    settings.REDSITES_TILE_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    settings.REDSITES_TILE_DATUM = "gcj02"
    layer = _map(world.client("admin_a").get(f"/reports/console/dashboard/?period={WEEK}").content.decode())
    assert layer["tile_datum"] == "gcj02" and len(layer["points"][0]["gcj02"]) == 2
