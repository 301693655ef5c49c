from datetime import date

import pytest

from tests.reports.fakes import FakeModule, install

WEEK = "2021-W23"  # 2021-06-07 .. 2021-06-13


@pytest.fixture
def fake(monkeypatch, world):
    """The fixture district's activity: sessions and quiz answers in 支部A, 支部B and 支部C."""
    f = install(monkeypatch, FakeModule())
    f.add(world.branch_a, date(2021, 6, 8), "outreach.sessions", 2)
    f.add(world.branch_a, date(2021, 6, 8), "outreach.audience", 60)
    f.add(world.branch_b, date(2021, 6, 9), "outreach.sessions", 1)
    f.add(world.branch_b, date(2021, 6, 9), "outreach.audience", 25)
    f.add(world.branch_c, date(2021, 6, 10), "outreach.sessions", 3)
    f.add(world.branch_c, date(2021, 6, 10), "outreach.audience", 120)
    f.add(world.branch_a, date(2021, 6, 11), "quiz.answered", 40)
    f.add(world.branch_a, date(2021, 6, 11), "quiz.correct", 30)
    f.add(world.branch_c, date(2021, 6, 12), "quiz.answered", 10)
    f.add(world.branch_c, date(2021, 6, 12), "quiz.correct", 9)
    # outside the week: must not be counted in W23
    f.add(world.branch_a, date(2021, 6, 1), "outreach.sessions", 7)
    f.add(world.branch_a, date(2021, 5, 20), "outreach.sessions", 5)
    return f


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
