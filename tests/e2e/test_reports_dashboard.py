"""The 驾驶舱 in a real browser: ECharts draws, full-screen works, an org admin sees their subtree."""

from datetime import date, timedelta

import pytest

from dangshi.supervision import services as sv
from dangshi.supervision.models import GroupKind
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.reports.fakes import FakeModule, gap, install

WEEK = "2021-W23"


@pytest.fixture
def fake(monkeypatch, world):
    f = install(monkeypatch, FakeModule())
    for week_offset in range(8):
        day = date(2021, 4, 20) + timedelta(weeks=week_offset)  # the Tuesdays of W16..W23
        f.add(world.branch_a, day, "outreach.sessions", 1 + week_offset % 3)
        f.add(world.branch_c, day, "outreach.sessions", 2)
        f.add(world.branch_b, day, "outreach.audience", 20 + week_offset)
    f.add(world.branch_a, date(2021, 6, 8), "quiz.answered", 40)
    f.add(world.branch_a, date(2021, 6, 8), "quiz.correct", 31)
    f.agenda = [gap(world.branch_b)]
    return f


def test_office_dashboard_draws_charts_and_goes_full_screen(world, fake, live_server, page):
    login(page, live_server, "office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.goto(f"{live_server.url}/reports/console/dashboard/?period={WEEK}")
    page.wait_for_selector("#trend-chart canvas")
    page.wait_for_selector("#ranking-chart canvas")
    sessions = page.locator('.figure[data-key="outreach.sessions"] .n').inner_text()
    assert sessions == "4"  # 支部A 2 + 支部C 2 in W23
    screenshot(page, "reports-dashboard")
    page.click("#fullscreen")
    page.wait_for_function("document.fullscreenElement !== null")
    screenshot(page, "reports-dashboard-fullscreen")


def test_org_admin_dashboard_shows_their_subtree_only(world, fake, live_server, page):
    login(page, live_server, "admin_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.goto(f"{live_server.url}/reports/console/dashboard/?period={WEEK}")
    page.wait_for_selector("#trend-chart canvas")
    assert page.locator('.figure[data-key="outreach.sessions"] .n').inner_text() == "2"
    assert page.locator('.figure[data-key="orgs.members"] .n').inner_text() == "2"
    assert "测试社区第一党支部" in page.locator("h1").inner_text()


def test_dispatch_agenda_and_task_list_pages(world, fake, live_server, page):
    from dangshi.orgs.scope import scope_for

    scope = scope_for(world.users["office"])
    for kind, name in ((GroupKind.LEADING, "党史学习教育领导小组"), (GroupKind.WORKING, "综合协调组"),
                       (GroupKind.GUIDANCE, "第一巡回指导组")):
        sv.group_create(scope=scope, org=world.root, kind=kind, name=name, duties="统筹协调、督促落实")
    sv.task_create(scope=scope, org=world.root, title="制定学习计划", starts_on=date(2021, 3, 1), due_on=date(2021, 6, 1),
                   orgs=[world.street])
    login(page, live_server, "office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.goto(f"{live_server.url}/supervision/console/dispatch/?week_start=2021-06-07")
    assert page.locator(".agenda-item").count() == 2
    screenshot(page, "supervision-dispatch")
    page.goto(f"{live_server.url}/supervision/console/")
    screenshot(page, "supervision-structure")
    page.goto(f"{live_server.url}/supervision/console/tasks/")
    assert "制定学习计划" in page.content()
    screenshot(page, "supervision-tasks")
