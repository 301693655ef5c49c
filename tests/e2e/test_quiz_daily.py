"""The daily quiz in a phone browser: start, answer one question at a time against the timer
(each answer reaches the server as it is given), see the result with explanations and my rank;
the office's rankings and a certificate's public verification page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangshi.learning.models import ContentPolicy
from dangshi.orgs.models import Campaign
from dangshi.quiz.models import Attempt
from dangshi.quiz.services import contest_create
from dangshi.quiz.services.bank import starter_load
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD


@pytest.fixture
def contest(world):
    # The district publishes its unreviewed starter bank (as the demo does): review is tested in tests/review.
    ContentPolicy.objects.update_or_create(pk=1, defaults={"publish_unverified": True})
    starter_load()
    today = timezone.localdate()
    campaign = Campaign.objects.create(name="党史学习教育", root=world.root, starts_on=today - timedelta(days=30),
                                       ends_on=today + timedelta(days=30))
    return contest_create(campaign=campaign, org=world.root, title="党史知识每日答题",
                          starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30))


def test_member_takes_todays_quiz_one_question_at_a_time(world, contest, live_server, phone_page):
    page = phone_page
    login(page, live_server, "member_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/m/")
    page.goto(f"{live_server.url}/quiz/")
    screenshot(page, "quiz-start")
    page.click("#quiz-start")
    page.wait_for_selector("#quiz-form")
    assert page.locator("#quiz-timer").inner_text() in {"30", "29", "28"}
    for n in range(10):
        question = page.locator(".quiz-question:not([hidden])")
        assert page.locator("#quiz-index").inner_text() == str(n + 1)
        if question.get_attribute("data-type") == "fill":
            question.locator("input").fill("不知道")
        else:
            question.locator("input").first.check()
        if n == 0:
            screenshot(page, "quiz-question")
        question.locator(".quiz-next").click()
    page.wait_for_url(f"{live_server.url}/quiz/result/")
    assert "答对" in page.locator(".quiz-score").inner_text()
    assert page.locator(".quiz-explained").count() == 10
    screenshot(page, "quiz-result")
    attempt = Attempt.objects.get(member=world.members["member_a"])
    assert attempt.submitted_at is not None
    # The page sent each answer as it was given: the server stamped their arrival one by one.
    assert attempt.items.filter(answered_at__isnull=False).count() == 10
    assert attempt.items.filter(answered_at__lt=attempt.submitted_at).count() >= 9
    page.goto(f"{live_server.url}/quiz/rank/")
    assert "我的排名:第 1 名" in page.content()
    screenshot(page, "quiz-rank")
    page.goto(f"{live_server.url}/quiz/wrong/")
    screenshot(page, "quiz-wrong-book")


def test_office_sees_rankings_and_a_certificate_verifies(world, contest, live_server, page, browser):
    from dangshi.quiz.services import attempt_start, attempt_submit

    for name in ("member_a", "member_c"):
        attempt_start(contest=contest, member=world.members[name])
        attempt_submit(contest=contest, member=world.members[name], answers={})
    login(page, live_server, "office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.goto(f"{live_server.url}/quiz/console/rankings/")
    assert "A × P" in page.content() and "中共测试街道工作委员会" in page.content()
    screenshot(page, "quiz-console-rankings")
    page.goto(f"{live_server.url}/quiz/console/")
    screenshot(page, "quiz-console-bank")
    page.goto(f"{live_server.url}/quiz/console/selection/")
    page.click("text=冻结排名并评选")
    page.wait_for_selector("text=下载全部证书")
    screenshot(page, "quiz-console-selection")
    serial = contest.certificates.order_by("rank").first().serial
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/verify/{serial}")
    assert "证书有效" in public.content()
    screenshot(public, "quiz-verify")
    public.close()
