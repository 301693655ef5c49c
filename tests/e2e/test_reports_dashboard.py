"""The 驾驶舱 in a real browser: ECharts draws, the red-sites map shows on the offline base map,
full-screen works, an org admin sees their subtree; the office picks the briefing's highlights."""

import random
from datetime import date, timedelta

import pytest

from dangshi.redsites.demo import SITES, _point
from dangshi.supervision import services as sv
from dangshi.supervision.models import GroupKind
from tests.e2e.conftest import closed_network, login, screenshot
from tests.factories import PASSWORD
from tests.redsites.helpers import site
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


@pytest.fixture
def red_sites(world):
    """The demo district's sites, managed by 支部A (most) and 支部C (the rest)."""
    rng = random.Random(2021)
    out = []
    for i, (name, kind, level, _text) in enumerate(SITES):
        lat, lng = _point(rng)
        out.append(site(world.branch_a if i % 4 else world.branch_c, name=name, kind=kind, level=level, lat=lat, lng=lng))
    return out


def test_office_dashboard_draws_charts_and_the_map_offline_and_goes_full_screen(world, fake, red_sites, live_server,
                                                                                  page):
    tried = closed_network(page, live_server)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server, "office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.goto(f"{live_server.url}/reports/console/dashboard/?period={WEEK}")
    page.wait_for_selector("#trend-chart canvas")
    page.wait_for_selector("#ranking-chart canvas")
    page.wait_for_selector("#sites-map.ready .leaflet-marker-icon")
    sessions = page.locator('.figure[data-key="outreach.sessions"] .n').inner_text()
    assert sessions == "4"  # 支部A 2 + 支部C 2 in W23
    assert page.get_attribute("#sites-map", "data-markers") == str(len(red_sites))
    assert page.locator("#sites-map path").count() >= 1  # the bundled district outline, no tile server
    page.wait_for_timeout(400)  # the fitBounds animation
    page.locator("#sites-map").scroll_into_view_if_needed()
    screenshot(page, "reports-dashboard-map")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "reports-dashboard")
    page.click("#fullscreen")
    page.wait_for_function("document.fullscreenElement !== null")
    page.wait_for_timeout(600)
    box = page.locator("#sites-map").bounding_box()
    assert box["width"] > 200 and box["height"] > 200  # the map is on the wall too
    assert page.locator("#sites-map .leaflet-marker-icon").count() >= 1
    screenshot(page, "reports-dashboard-fullscreen")
    assert tried == [], f"the dashboard reached beyond localhost: {tried}"
    assert errors == []


def test_org_admin_dashboard_shows_their_subtree_only(world, fake, red_sites, live_server, page):
    login(page, live_server, "admin_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.goto(f"{live_server.url}/reports/console/dashboard/?period={WEEK}")
    page.wait_for_selector("#trend-chart canvas")
    page.wait_for_selector("#sites-map.ready")
    assert page.get_attribute("#sites-map", "data-markers") == str(sum(1 for s in red_sites if s.org == world.branch_a))
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


def _until(page, expression: str, timeout_ms: int = 10_000) -> None:
    """Poll an expression from the test side: wait_for_function re-evaluates it with eval()
    inside the page, which the CSP (no 'unsafe-eval') refuses."""
    for _ in range(timeout_ms // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def test_office_picks_highlights_with_photos_and_the_briefing_prints_them(world, fake, live_server, page, settings,
                                                                          tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from docx import Document
    from PIL import Image

    from dangshi.reports.models import Briefing
    from tests.outreach.helpers import activity, at, session

    settings.MEDIA_ROOT = tmp_path / "media"

    def photo(color, name):
        out = io.BytesIO()
        Image.new("RGB", (640, 480), color).save(out, format="JPEG")
        return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")

    session(world, when=at(2021, 6, 8), topic="百年党史进社区宣讲", audience_offline=120, audience_online=300,
            online_platform="学习强国",
            files=[("photo", photo("#c8161d", "现场1.jpg")), ("photo", photo("#d4a017", "现场2.jpg"))])
    activity(world, persona="office", org=world.branch_c, when=at(2021, 6, 10), title="周四夜学:红船精神")
    login(page, live_server, "office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.goto(f"{live_server.url}/reports/console/highlights/?period={WEEK}")
    assert page.locator(".candidate").count() == 2
    assert page.locator(".candidate").first.locator("img").count() == 2  # photos first, served in scope
    _until(page, "[...document.querySelectorAll('.candidate img')].every(i => i.complete && i.naturalWidth > 0)")
    for title in ("周四夜学:红船精神", "百年党史进社区宣讲"):
        page.locator(".candidate", has_text=title).locator("button.pick").click()
        page.wait_for_selector(f".highlight:has-text('{title}')")
    page.locator(".highlight", has_text="百年党史进社区").locator("button[value=up]").click()
    page.wait_for_selector(".highlight:first-child:has-text('百年党史进社区')")
    assert page.locator(".highlight").first.locator("img").count() == 2
    _until(page, "[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    screenshot(page, "reports-highlights")

    page.goto(f"{live_server.url}/reports/console/briefings/?org=ROOT")
    page.fill("input[name=period]", WEEK)
    page.click("#generate")
    with page.expect_download() as download:
        page.locator("a", has_text="下载").first.click()
    doc = Document(download.value.path())
    text = [p.text for p in doc.paragraphs]
    assert text.index("（一）百年党史进社区宣讲") < text.index("（二）周四夜学:红船精神")
    assert len(doc.inline_shapes) == 4  # two photos and two charts
    assert Briefing.objects.get(org=world.root, period=WEEK).number == 1
