"""Outreach journeys in a real browser: a lecturer logs a session from a phone and the
org leaves the gap list; a member signs in by the QR link; the office reads the matrix."""

from datetime import timedelta

from django.utils import timezone

from dangshi.outreach.models import Session
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.outreach import helpers as h


def _venue_kinds():
    """The 七进 kinds come from a data migration; after another live-server test's flush on
    in-memory SQLite they can be missing here, so the journey makes sure of its reference data."""
    from dangshi.outreach.models import VenueKind

    for i, (code, name) in enumerate([("office", "进机关"), ("community", "进社区"), ("village", "进农村")]):
        VenueKind.objects.get_or_create(code=code, defaults={"name": name, "position": i})


def test_lecturer_logs_a_session_on_a_phone_and_the_gap_closes(world, live_server, phone_page, browser):
    _venue_kinds()
    h.lecturer(world, name="王宣讲")
    page = phone_page
    login(page, live_server, "lecturer", PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/outreach/h5/sessions/new/")
    page.select_option("#id_org", "BRB")
    page.select_option("#id_venue_kind", label="进社区")
    page.fill("#id_place", "社区党群服务中心")
    page.fill("#id_topic", "学党史 办实事")
    page.select_option("#id_covered_orgs", ["BRB"])
    page.fill("#id_audience_offline", "48")
    screenshot(page, "outreach-phone-session")
    page.click("#session-form button[type=submit]")
    page.wait_for_selector("h1")
    session = Session.objects.get()
    assert session.org.code == "BRB" and session.audience_offline == 48

    office = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
    login(office, live_server, "office", PASSWORD)
    office.wait_for_load_state()
    office.goto(f"{live_server.url}/outreach/console/gaps/")
    gaps = office.locator("#gap-list").inner_text()
    assert "测试社区第二党支部" not in gaps and "测试社区第一党支部" in gaps
    screenshot(office, "outreach-gaps")
    office.goto(f"{live_server.url}/outreach/console/")
    assert office.locator("#coverage-matrix td.ok").count() == 1
    screenshot(office, "outreach-coverage")
    office.context.close()


def test_member_signs_in_by_the_qr_link_once(world, live_server, phone_page):
    activity = h.activity(world, when=timezone.now() + timedelta(minutes=5), title="周四夜学:伟大建党精神")
    page = phone_page
    login(page, live_server, "member_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/m/")
    page.goto(f"{live_server.url}/outreach/h5/sign/{activity.signin_token}/")
    page.click("#sign-in")
    page.wait_for_selector("#signed")
    assert "签到成功" in page.content()
    screenshot(page, "outreach-sign-in")
    page.goto(f"{live_server.url}/outreach/h5/activities/")
    assert "已签到" in page.content()
    screenshot(page, "outreach-my-activities")
    assert activity.attendances.count() == 1
