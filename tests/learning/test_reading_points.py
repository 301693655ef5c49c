"""Reading records with a minimum time, and the points ledger with its caps (controlled clock)."""

from datetime import timedelta

import pytest

from dangshi.audit.services import log_event
from dangshi.errors import Conflict
from dangshi.learning import selectors
from dangshi.learning.models import Activity, OfflineActivity, PointEntry, PointRule
from dangshi.learning.services import reading
from tests.learning.conftest import T0, publish

LONG = "<p>" + "中国共产党的一百年" * 60 + "</p>"  # 540 characters


def _read(member, item, at, seconds, watched=None):
    reading.read_start(member=member, item=item, now=at)
    return reading.read_finish(member=member, item=item, now=at + timedelta(seconds=seconds), watched_seconds=watched)


def test_minimum_time_is_proportional_to_length(world, cols, settings):
    settings.LEARNING_READ_SECONDS_PER_100_CHARS = 6
    short = publish(world, cols["stories"], "短文", "<p>短</p>")
    long = publish(world, cols["stories"], "长文", LONG)
    assert reading.required_seconds(short) == 10  # the floor
    assert reading.required_seconds(long) == 540 * 6 // 100


def test_a_read_shorter_than_the_minimum_earns_no_point(world, cols):
    member = world.members["member_a"]
    item = publish(world, cols["stories"], "长文", LONG)
    need = reading.required_seconds(item)
    record = _read(member, item, T0, need - 1)
    assert not record.counted and record.seconds == need - 1
    assert selectors.points_total(member=member) == 0
    record = _read(member, item, T0 + timedelta(minutes=5), need)
    assert record.counted
    assert selectors.points_total(member=member) == 1
    entry = PointEntry.objects.get(member=member)
    assert (entry.cause_type, entry.cause_id) == ("learning.readrecord", str(record.pk))  # traces to its cause


def test_points_stop_at_the_daily_cap_and_resume_the_next_day(world, cols):
    member = world.members["member_a"]
    cap = PointRule.objects.get(code="read").daily_cap
    items = [publish(world, cols["stories"], f"故事{n}", "<p>短</p>") for n in range(cap + 2)]
    for n, item in enumerate(items[: cap + 1]):
        assert _read(member, item, T0 + timedelta(minutes=n), 30).counted
    assert selectors.points_total(member=member) == cap
    next_day = T0 + timedelta(days=1)
    _read(member, items[-1], next_day, 30)
    assert selectors.points_total(member=member) == cap + 1
    assert list(PointEntry.objects.filter(member=member).values_list("day", flat=True).distinct().order_by("day")) == [
        T0.date(), next_day.date()]


def test_total_cap_limits_a_rule_for_good(world, cols):
    PointRule.objects.filter(code="read").update(daily_cap=None, total_cap=2)
    member = world.members["member_a"]
    for n in range(4):
        _read(member, publish(world, cols["stories"], f"故事{n}", "<p>短</p>"), T0 + timedelta(days=n), 30)
    assert selectors.points_total(member=member) == 2


def test_the_same_item_counts_once(world, cols):
    member = world.members["member_a"]
    item = publish(world, cols["stories"], "故事", "<p>短</p>")
    assert _read(member, item, T0, 30).counted
    assert not _read(member, item, T0 + timedelta(hours=1), 30).counted
    assert selectors.points_total(member=member) == 1


def test_finish_without_start_is_refused(world, cols):
    item = publish(world, cols["stories"], "故事")
    with pytest.raises(Conflict):
        reading.read_finish(member=world.members["member_a"], item=item, now=T0)


def test_video_counts_after_its_watched_duration(world, cols):
    member = world.members["member_a"]
    video = publish(world, cols["videos"], "百炼成钢第1集", duration_seconds=300)
    # Open long enough, but watched only half: not counted.
    assert not _read(member, video, T0, 400, watched=150).counted
    # Claimed more than the page was open: capped by the server's clock.
    assert not _read(member, video, T0 + timedelta(hours=1), 100, watched=300).counted
    record = _read(member, video, T0 + timedelta(hours=2), 300, watched=300)
    assert record.counted
    assert Activity.objects.filter(member=member, kind="video", read=record).exists()


def test_other_modules_events_award_points_through_the_subscriber(world, cols):
    member = world.members["member_a"]
    # Any object with `.member` will do as the event's object; the ledger names it as the cause.
    cause = OfflineActivity.objects.create(member=member, kind="experience", title="答题", day=T0.date())
    event = log_event("quiz.attempt.finished", obj=cause, data={})
    entry = PointEntry.objects.get(member=member)
    assert (entry.rule.code, entry.points, entry.event_id) == ("quiz", 2, event.pk)
    assert (entry.cause_type, entry.cause_id) == ("learning.offlineactivity", str(cause.pk))
    log_event("quiz.attempt.finished", obj=cause, data={})  # the same cause never pays twice
    log_event("redsites.checkin.created", obj=cause, data={})
    log_event("outreach.attendance.signed", obj=cause, data={})
    assert sorted(PointEntry.objects.filter(member=member).values_list("rule__code", flat=True)) == [
        "attend", "checkin", "quiz"]


def test_ledger_is_append_only(world, cols):
    member = world.members["member_a"]
    _read(member, publish(world, cols["stories"], "故事", "<p>短</p>"), T0, 30)
    entry = PointEntry.objects.get(member=member)
    entry.points = 99
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_offline_activity_counts_once_the_branch_confirms(world, cols):
    from dangshi.orgs.scope import scope_for

    member = world.members["member_a"]
    activity = reading.offline_report(member=member, kind="book", title="《中国共产党简史》", day=T0.date(),
                                      today=T0.date())
    assert not Activity.objects.filter(member=member).exists()
    from dangshi.errors import Refused

    with pytest.raises(Refused):
        reading.offline_review(scope=scope_for(world.users["admin_b"]), actor=world.users["admin_b"],
                               activity=activity, approve=True)
    reading.offline_review(scope=scope_for(world.users["admin_a"]), actor=world.users["admin_a"],
                           activity=activity, approve=True)
    assert Activity.objects.filter(member=member, kind="book", day=T0.date()).count() == 1
    with pytest.raises(Conflict):
        reading.offline_review(scope=scope_for(world.users["admin_a"]), actor=world.users["admin_a"],
                               activity=activity, approve=True)
