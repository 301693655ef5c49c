"""The office's 内容审核 queue in the browser: a story marked 已核 with the page checked, a
党史上的今天 entry returned with a note, and a member's 答题纠错 resolved from the queue."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dangshi.core.provenance import Verification
from dangshi.learning.models import ContentPolicy, LearningColumn
from dangshi.orgs.models import Campaign
from dangshi.quiz.models import AttemptItem, ErrorReport
from dangshi.quiz.services import attempt_start, contest_create, error_report_create
from dangshi.quiz.services.bank import starter_load
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.learning.conftest import COLUMNS, publish


@pytest.fixture
def queue(world):
    cols = {code: LearningColumn.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]
            for code, name, kind in COLUMNS}
    at = timezone.now() - timedelta(hours=1)
    story = publish(world, cols["stories"], "一床被子", "<p>1934年11月,三位女红军借宿湖南汝城沙洲村……</p>",
                    source="《中国共产党简史》(人民出版社、中共党史出版社,2021年版)", at=at, verified=False)
    entry = publish(world, cols["today"], "测试:日期待查的一条", "<p>1921年7月1日……</p>", month=7, day=1,
                    event_year=1921, at=at, verified=False)
    # The district publishes its unreviewed starter content meanwhile (as the demo does).
    ContentPolicy.objects.update_or_create(pk=1, defaults={"publish_unverified": True})
    starter_load()
    campaign = Campaign.objects.create(name="党史学习教育", root=world.root, starts_on=date(2021, 1, 1),
                                       ends_on=date(2021, 12, 31))
    contest = contest_create(campaign=campaign, org=world.root, title="每日答题", starts_on=date(2021, 3, 1),
                             ends_on=date(2021, 12, 31))
    member = world.members["member_a"]
    attempt_start(contest=contest, member=member, now=datetime(2021, 7, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    served = AttemptItem.objects.filter(attempt__member=member).first()
    report = error_report_create(member=member, question_id=served.question_id, text="解析中的日期与教材不符,请核实")
    return story, entry, report


def test_office_reviews_items_and_resolves_an_error_report(world, queue, live_server, page):
    story, entry, report = queue
    login(page, live_server, "office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.click("nav.sidebar a[href='/review/']")
    page.wait_for_selector("table.table")
    assert "一床被子" in page.content() and "来源待核" in page.locator("table.table").inner_text()
    screenshot(page, "review-queue")

    page.click("text=一床被子")
    page.fill("input[name=against]", "《中国共产党简史》,人民出版社、中共党史出版社,2021年版")
    page.fill("input[name=page]", "86")
    page.click("#verify button")
    page.locator(".tag.ok", has_text="已核").first.wait_for()
    assert "86" in page.locator("dl.card").inner_text()
    screenshot(page, "review-item-verified")
    story.refresh_from_db()
    assert (story.verification, story.source_page, story.verified_by) == (Verification.VERIFIED, "86", "office")

    page.goto(f"{live_server.url}/review/items/{entry.pk}/")
    page.fill("#return textarea[name=note]", "正文日期与标题日期不一致,请核对原书后修改")
    page.click("#return button")
    page.locator(".tag", has_text="已退回").first.wait_for()
    entry.refresh_from_db()
    assert (entry.verification, entry.review_note) == (Verification.RETURNED, "正文日期与标题日期不一致,请核对原书后修改")

    page.goto(f"{live_server.url}/review/?tab=reports")
    assert "解析中的日期与教材不符" in page.content()
    page.fill("table.table input[name=note]", "已对照原书,解析无误")
    screenshot(page, "review-reports")
    page.click("table.table button")
    page.locator("td.muted", has_text="没有待处理的纠错").wait_for()
    report.refresh_from_db()
    assert report.resolved_at is not None and report.resolution == "已对照原书,解析无误"
    assert ErrorReport.objects.filter(resolved_at__isnull=True).count() == 0
