"""Quiz fixtures on top of the shared `world`: the starter bank and a daily contest over the
test district, open from 2021-03-01 to 2021-12-31 (tests pass `now=` inside that window)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from dangshi.learning.models import ContentPolicy
from dangshi.orgs.models import Campaign
from dangshi.quiz.services import contest_create
from dangshi.quiz.services.bank import starter_load

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def bank(db):
    """The starter bank, served as a district serves it before review: the office has opted
    in to publishing 未核 questions (tests of the review gate turn it off)."""
    ContentPolicy.objects.update_or_create(pk=1, defaults={"publish_unverified": True})
    return starter_load()


@pytest.fixture
def contest(world, bank):
    campaign = Campaign.objects.create(name="党史学习教育", root=world.root, starts_on=date(2021, 2, 20),
                                       ends_on=date(2021, 12, 31))
    return contest_create(campaign=campaign, org=world.root, title="每日答题", starts_on=date(2021, 3, 1),
                          ends_on=date(2021, 12, 31))
