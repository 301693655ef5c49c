"""Live-contest fixtures on top of the shared `world`: a small bank, a campaign over the
test district, and a show of 支部A (hosted by admin_a) with three desks and four rounds
(必答 ×3, 抢答 ×2, 风险题 ×3, 加赛 ×2), questions fixed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangshi.live import services
from dangshi.live.models import LiveQuestion, RoundKind
from dangshi.orgs.models import Campaign
from dangshi.quiz.services.bank import question_create
from tests import factories as f


@pytest.fixture
def bank(db):
    """A small bank (the starter bank takes seconds to load): 14 easy single-choice questions
    and 3 of medium difficulty, whose right answer is always A."""
    return [question_create(type="single", stem=f"现场竞赛测试题第{i}题:中共一大在哪座城市开幕?",
                            options={"A": "上海", "B": "北京", "C": "广州"}, answer="A",
                            difficulty=1 if i <= 14 else 2, log=False) for i in range(1, 18)]


@pytest.fixture
def campaign(world):
    return Campaign.objects.create(name="党史学习教育", root=world.root, starts_on=date(2021, 2, 20),
                                   ends_on=date(2021, 12, 31))


def build_show(world, *, public=False, fix=True):
    actor = world.users["admin_a"]
    contest = services.contest_create(org=world.branch_a, title="党史知识竞赛", public=public, actor=actor)
    for i, name in enumerate(("红旗队", "星火队", "先锋队")):
        members = [f.member(world.branch_a, f"{name}队员{j}") for j in (1, 2)] if i == 0 else []
        services.team_add(contest=contest, name=name, members=members, actor=actor)
    plan = [(RoundKind.REQUIRED, 3), (RoundKind.BUZZ, 2), (RoundKind.RISK, 3), (RoundKind.TIEBREAK, 2)]
    for kind, n in plan:
        rnd = services.round_add(contest=contest, kind=kind, seconds=20, points=10, penalty=5 if kind == RoundKind.BUZZ else 0,
                                 foul_penalty=5, actor=actor)
        services.round_questions_draw(round=rnd, count=n, difficulty=1, actor=actor)
    if fix:
        services.contest_fix(contest=contest, actor=actor)
    contest.refresh_from_db()
    return contest


@pytest.fixture
def show(world, bank, campaign):
    return build_show(world)


def questions(contest, kind):
    return list(LiveQuestion.objects.filter(round__contest=contest, round__kind=kind).order_by("position"))


def teams(contest):
    return list(contest.teams.order_by("position"))


def later(seconds: float):
    return timezone.now() + timedelta(seconds=seconds)
