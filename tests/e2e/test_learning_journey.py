"""Daily learning in a phone browser, and the office's 五个一 and editorial pages."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangshi.learning.models import Activity, LearningColumn, PointRule, ReadRecord
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.learning.conftest import COLUMNS, RULES, publish


@pytest.fixture
def content(world):
    for code, name, points, daily, total in RULES:
        PointRule.objects.get_or_create(code=code, defaults={"name": name, "points": points, "daily_cap": daily,
                                                             "total_cap": total})
    cols = {code: LearningColumn.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]
            for code, name, kind in COLUMNS}
    today = timezone.localdate()
    at = timezone.now() - timedelta(hours=1)
    publish(world, cols["today"], "遵义会议召开",
            "<p>1935年1月15日至17日，中共中央政治局在贵州遵义召开扩大会议，集中解决了当时具有决定意义的军事和组织问题。</p>",
            month=today.month, day=today.day, event_year=1935, source="《中国共产党简史》", at=at)
    publish(world, cols["stories"], "一床被子", "<p>半条被子的故事。</p>", source="《中国共产党简史》", at=at)
    publish(world, cols["questions"], "中共一大何时召开?", "", answer="<p>1921年7月23日在上海开幕。</p>", at=at)
    return cols


def test_member_reads_today_in_history_on_a_phone(world, content, live_server, phone_page, settings):
    settings.LEARNING_READ_MIN_SECONDS = 1
    settings.LEARNING_READ_SECONDS_PER_100_CHARS = 0
    page = phone_page
    login(page, live_server, "member_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/m/")
    page.goto(f"{live_server.url}/learning/")
    assert "遵义会议召开" in page.locator(".card").first.inner_text()
    screenshot(page, "learning-today")

    page.click("text=遵义会议召开")
    page.wait_for_selector("#learn-finish")
    page.wait_for_timeout(1500)  # longer than the one-second minimum set above
    page.click("#learn-finish")
    page.locator("#learn-status", has_text="已计入").wait_for()
    screenshot(page, "learning-item")
    assert ReadRecord.objects.filter(member=world.members["member_a"], counted=True).count() == 1

    page.goto(f"{live_server.url}/learning/search/?q=遵义")
    assert "遵义会议召开" in page.content()
    page.goto(f"{live_server.url}/learning/history/")
    assert "已计入" in page.content() and "+1" in page.content()
    screenshot(page, "learning-history")


def test_office_sees_editorial_and_five_ones(world, content, live_server, page):
    first = date(2021, 5, 1)
    Activity.objects.bulk_create(Activity(member=world.members["member_a"], kind="video", day=first + timedelta(d))
                                 for d in range(7))
    login(page, live_server, "office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.click("text=内容编审")
    page.wait_for_selector("table.table")
    assert "遵义会议召开" in page.content()
    screenshot(page, "learning-console-items")
    page.goto(f"{live_server.url}/learning/console/five-ones/?org=CM1&period=day:2021-05-03")
    rows = page.locator("table.table").first.locator("tbody tr").all_inner_texts()
    assert rows[0].split("\t")[1:] == ["3", "1", "33.3%"]
    screenshot(page, "learning-five-ones")
