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
