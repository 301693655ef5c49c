"""五个一 compliance against a hand-computed fixture (May 2021).

May 2021 has 31 days, three 旬 (1–10, 11–20, 21–31) and four whole Monday–Sunday weeks
(3–9, 10–16, 17–23, 24–30; the 31st starts a week that ends in June). So the month asks
for 1 book, 3 films, 4 songs and 31 days of short videos.

  member_a  book, 3 films, 4 songs, videos 1–31   → compliant
  sentinel  the same, but no video on the 31st     → behind: 短视频 30/31
  member_x  a book only (and a film on 30 April)   → behind
  member_b  like member_a (支部B)                   → compliant
  member_c  nothing (第二街道)                      → behind
"""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from dangshi.errors import Invalid
from dangshi.learning.models import Activity
from dangshi.learning.selectors import fiveones
from dangshi.learning.services import reading
from dangshi.orgs.scope import scope_for
from tests import factories as f
from tests.learning.conftest import publish

MAY = [date(2021, 5, d) for d in range(1, 32)]


def _full(member, *, skip_video=()):
    rows = [Activity(member=member, kind="film", day=date(2021, 5, d)) for d in (2, 12, 30)]
    rows += [Activity(member=member, kind="song", day=date(2021, 5, d)) for d in (5, 12, 19, 26)]
    rows += [Activity(member=member, kind="video", day=d) for d in MAY if d.day not in skip_video]
    rows += [Activity(member=member, kind="video", day=date(2021, 5, 7))]  # a second video the same day adds nothing
    Activity.objects.bulk_create(rows)


@pytest.fixture
def may(world, cols):
    w = world
    x = f.member(w.branch_a, "党员戊")
    # member_a's book through the real reading service; the rest as activity rows.
    book = publish(w, cols["books"], "《中国共产党简史》", "<p>简史</p>")
    at = datetime(2021, 5, 8, 20, 0, tzinfo=timezone.get_current_timezone())
    reading.read_start(member=w.members["member_a"], item=book, now=at)
    assert reading.read_finish(member=w.members["member_a"], item=book, now=at + timedelta(minutes=5)).counted
    _full(w.members["member_a"])
    Activity.objects.create(member=w.members["sentinel"], kind="book", day=date(2021, 5, 20))
    _full(w.members["sentinel"], skip_video={31})
    Activity.objects.create(member=x, kind="book", day=date(2021, 5, 3))
    Activity.objects.create(member=x, kind="film", day=date(2021, 4, 30))
    Activity.objects.create(member=w.members["member_b"], kind="book", day=date(2021, 5, 31))
    _full(w.members["member_b"])
    return x


def _rates(world, org, period):
    rows = fiveones.org_rates(scope=scope_for(world.users["office"]), org=org, period=fiveones.period_parse(period))
    return {r["org"].code: (r["assessed"], r["compliant"], r["rate"]) for r in rows}


def test_units_of_may_2021(db):
    units = fiveones.units(fiveones.period_parse("month:2021-05"))
    assert {k: len(v) for k, v in units.items() if v} == {"book": 1, "film": 3, "song": 4, "video": 31}


def test_month_figures_match_the_hand_computed_fixture(world, may):
    assert _rates(world, world.community, "month:2021-05") == {
        "CM1": (4, 2, 50.0), "BRA": (3, 1, 33.3), "BRB": (1, 1, 100.0)}
    assert _rates(world, world.root, "month:2021-05") == {"ROOT": (5, 2, 40.0), "ST1": (4, 2, 50.0),
                                                          "ST2": (1, 0, 0.0)}


def test_week_and_day_periods(world, may):
    # Week 10–16 May: a song and seven videos. Only member_x lacks them in 支部A.
    assert _rates(world, world.community, "week:2021-05-12")["BRA"] == (3, 2, 66.7)
    # 31 May: one video; the sentinel skipped it.
    assert _rates(world, world.community, "day:2021-05-31")["BRA"] == (3, 1, 33.3)


def test_behind_list_names_who_misses_what(world, may):
    behind = fiveones.behind_list(scope=scope_for(world.users["admin_a"]), org=world.branch_a,
                                  period=fiveones.period_parse("month:2021-05"))
    by_name = {b["member"].name: b["missing"] for b in behind}
    assert set(by_name) == {"哨兵甲乙丙", "党员戊"}
    assert by_name["哨兵甲乙丙"] == [("每日观看一个短视频", 30, 31)]
    assert ("每旬观看一部红色影片", 0, 3) in by_name["党员戊"]


def test_campaign_period_requires_the_experience(world, may):
    campaign = type("C", (), {"starts_on": date(2021, 5, 1), "ends_on": date(2021, 5, 31)})()
    period = fiveones.period_parse("campaign", today=date(2021, 6, 1), campaign=campaign)
    member = world.members["member_a"]
    assert not fiveones.member_compliance(member=member, period=period)["compliant"]
    Activity.objects.create(member=member, kind="experience", day=date(2021, 5, 4))
    assert fiveones.member_compliance(member=member, period=period)["compliant"]


def test_out_of_reach_org_is_404_and_bad_period_is_invalid(world, may):
    from django.http import Http404

    with pytest.raises(Http404):
        fiveones.org_rates(scope=scope_for(world.users["admin_b"]), org=world.branch_a,
                           period=fiveones.period_parse("month:2021-05"))
    with pytest.raises(Invalid):
        fiveones.period_parse("month:2021-13")


def test_api_five_ones_for_the_branch(world, may):
    body = world.client("admin_a").get("/api/v1/learning/five-ones?org=BRA&period=month:2021-05").json()
    assert body == [{"code": "BRA", "name": "测试社区第一党支部", "assessed": 3, "compliant": 1, "rate": 33.3}]
    assert world.client("admin_b").get("/api/v1/learning/five-ones?org=BRA&period=month:2021-05").status_code == 404
    assert world.client("member_a").get("/api/v1/learning/five-ones?org=BRA").status_code == 404


def test_a_running_period_is_judged_to_date(db):
    period = fiveones.period_parse("month:2021-05", today=date(2021, 5, 12))
    assert (period.start, period.end) == (date(2021, 5, 1), date(2021, 5, 12))
    units = fiveones.units(period)
    assert {k: len(v) for k, v in units.items() if v} == {"film": 1, "song": 1, "video": 12}  # the book is not yet due
