"""挑战答题 in a phone browser: start a run, answer against the countdown until the first wrong
answer, see the verdict and explanation of each question only after answering it, the run's
result and the board; and an org admin registering a team in the console."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangshi.learning.models import ContentPolicy
from dangshi.orgs.models import Campaign
from dangshi.quiz.models import ChallengeBest, ChallengeRun, ContestKind, Team
from dangshi.quiz.selectors.challenge import open_item
from dangshi.quiz.services import contest_create
from dangshi.quiz.services.bank import starter_load
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.quiz.test_challenge import right, wrong


@pytest.fixture
def contests(world):
    # The district publishes its unreviewed starter bank (as the demo does): review is tested in tests/review.
    ContentPolicy.objects.update_or_create(pk=1, defaults={"publish_unverified": True})
    starter_load()
    today = timezone.localdate()
    campaign = Campaign.objects.create(name="党史学习教育", root=world.root, starts_on=today - timedelta(days=30),
                                       ends_on=today + timedelta(days=30))
    daily = contest_create(campaign=campaign, org=world.root, title="党史知识每日答题",
                           starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30))
    challenge = contest_create(campaign=campaign, org=world.root, title="党史知识挑战赛", kind=ContestKind.CHALLENGE,
                               starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30))
    return daily, challenge


def _answer(page, item, values):
    question = page.locator("#challenge-form")
    if item.question.type == "fill":
        question.locator("input[name=answer]").fill(values if isinstance(values, str) else values[0])
    else:
        for value in values:
            question.locator(f"input[name=answer][value='{value}']").check()
    page.click("#challenge-submit")


def test_member_plays_a_challenge_run_until_the_first_wrong_answer(world, contests, live_server, phone_page):
    page = phone_page
    login(page, live_server, "member_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/m/")
    page.goto(f"{live_server.url}/quiz/challenge/")
    screenshot(page, "quiz-challenge-start")
    page.click("#challenge-start")
    page.wait_for_selector("#challenge-form")
    run = ChallengeRun.objects.get(member=world.members["member_a"])
    assert int(page.locator("#challenge-timer").inner_text()) in range(25, 31)
    assert "解析" not in page.content()  # nothing about the question before it is answered
    for n in range(3):
        item = open_item(run)
        _answer(page, item, right(item))
        page.wait_for_selector(f"#challenge-streak:text-is('{n + 1}')")
        assert "回答正确" in page.content()
        if n == 1:
            screenshot(page, "quiz-challenge-question")
    item = open_item(run)
    _answer(page, item, wrong(item))
    page.wait_for_url(f"{live_server.url}/quiz/challenge/{run.pk}/result/")
    assert page.locator("#challenge-result").inner_text() == "3"
    assert "正确答案" in page.content()
    screenshot(page, "quiz-challenge-result")
    run.refresh_from_db()
    assert run.end_reason == "wrong" and run.correct == 3
    assert ChallengeBest.objects.get(member=world.members["member_a"]).best == 3
    page.goto(f"{live_server.url}/quiz/challenge/board/")
    assert "我的排名:第 1 名" in page.content()
    screenshot(page, "quiz-challenge-board")


def test_org_admin_registers_a_team_and_adds_a_member(world, contests, live_server, page):
    login(page, live_server, "admin_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.goto(f"{live_server.url}/quiz/console/teams/")
    page.fill("input[name=name]", "第一党支部代表队")
    page.get_by_role("button", name="报名", exact=True).click()
    page.wait_for_selector("text=添加成员")
    page.locator("tr", has_text="甲支部党员").locator("button").click()
    page.wait_for_selector("text=成员(1)")
    screenshot(page, "quiz-console-team")
    team = Team.objects.get(name="第一党支部代表队")
    assert [m.member.name for m in team.members.select_related("member")] == ["甲支部党员"]
