"""Outreach journeys in a real browser: a lecturer logs a session from a phone and the
org leaves the gap list; a member signs in by the QR link; the office reads the matrix."""

from datetime import timedelta

from django.utils import timezone

from dangshi.outreach.models import Session
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.outreach import helpers as h


def test_lecturer_logs_a_session_on_a_phone_and_the_gap_closes(world, live_server, phone_page, browser):
    h.lecturer(world, name="王宣讲")  # 支部A's: offered for the street, not for 支部B
    page = phone_page
    login(page, live_server, "lecturer", PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/outreach/h5/sessions/new/")
    assert "王宣讲" in page.locator("#id_lecturers").inner_text()
    with page.expect_response(lambda r: "/outreach/console/sessions/lecturers/" in r.url):
        page.select_option("#id_org", "BRB")  # the lecturer list follows the host org (HTMX)
    page.wait_for_function("!document.querySelector('#id_lecturers').textContent.includes('王宣讲')")
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


def test_office_edits_a_groups_zone_with_the_tree_picker(world, live_server, page):
    first = h.group(world, persona="office", org=world.root, name="第一分团", zone=[world.branch_b])
    group = h.group(world, persona="office", org=world.root, name="第二分团", zone=[world.branch_a])
    login(page, live_server, "office", PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/outreach/console/groups/{group.pk}/zone/")
    page.locator("#zone-picker summary", has_text="中共测试区委员会").click()
    page.locator("#zone-picker summary", has_text="中共测试街道工作委员会").click()
    page.locator("#zone-picker summary", has_text="中共测试社区委员会").click()
    branch = page.locator("#zone-picker li", has_text="测试社区第二党支部").last
    with page.expect_navigation():
        branch.get_by_role("button", name="＋加入").click()
    assert "测试社区第二党支部" in page.locator("#zone-orgs").inner_text()
    assert f"已在其他宣讲组的片区中:{first.name}" in page.content()
    screenshot(page, "outreach-zone-edit")
    assert sorted(group.zone.values_list("code", flat=True)) == ["BRA", "BRB"]
