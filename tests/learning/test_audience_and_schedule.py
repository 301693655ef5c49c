"""分众化 and the editorial flow: who sees an item, and when."""

from datetime import timedelta

import pytest

from dangshi.audit.models import AuditEvent
from dangshi.errors import Conflict, Refused
from dangshi.learning import selectors, services
from dangshi.learning.models import ItemStatus
from dangshi.orgs.scope import scope_for
from tests import factories as f
from tests.learning.conftest import T0, publish


@pytest.fixture
def mobile(world):
    user = f.user("mobile_m")
    member = f.member(world.branch_c, "流动党员甲", user=user, mobile=True)
    world.users["mobile_m"] = user
    return member


def _feed_titles(member, now):
    feed = selectors.feed_today(member=member, now=now)
    return {i.title for i in feed["latest"] + feed["on_this_day"]}


def test_item_for_mobile_members_reaches_mobile_member_and_not_member1(world, cols, mobile):
    publish(world, cols["stories"], "千里送学", for_all=False, for_mobile=True)
    publish(world, cols["stories"], "全体党员必读")
    now = T0 + timedelta(hours=1)
    assert _feed_titles(mobile, now) == {"千里送学", "全体党员必读"}
    assert _feed_titles(world.members["member_a"], now) == {"全体党员必读"}
    # The API answers the same, through the member's own scope.
    body = world.client("mobile_m").get("/api/v1/learning/items").json()
    assert "千里送学" in {i["title"] for i in body["items"]}
    body = world.client("member_a").get("/api/v1/learning/items").json()
    assert "千里送学" not in {i["title"] for i in body["items"]}


def test_member_who_is_mobile_sees_the_mobile_item(world, cols):
    member = world.members["member_a"]
    member.mobile = True
    member.save()
    publish(world, cols["stories"], "千里送学", for_all=False, for_mobile=True)
    assert _feed_titles(member, T0 + timedelta(hours=1)) == {"千里送学"}


def test_org_subtree_and_segment_combination(world, cols, mobile):
    # Leaders or youth, only within the first street: member_a (ordinary, street 1) is out, a young member of
    # 支部B is in, the mobile member of street 2 is out.
    young = f.member(world.branch_b, "青年党员", youth=True)
    publish(world, cols["stories"], "青年理论学习", for_all=False, for_leaders=True, for_youth=True,
            audience_path=world.street.path)
    now = T0 + timedelta(hours=1)
    assert _feed_titles(young, now) == {"青年理论学习"}
    assert _feed_titles(world.members["member_a"], now) == set()
    mobile.youth = True
    assert _feed_titles(mobile, now) == set()


def test_scheduled_item_is_invisible_before_its_time_and_visible_after(world, cols):
    at = T0 + timedelta(days=2)
    item = publish(world, cols["stories"], "七一特稿", at=at)
    assert item.status == ItemStatus.SCHEDULED
    member = world.members["member_a"]
    assert "七一特稿" not in _feed_titles(member, at - timedelta(seconds=1))
    assert not selectors.items_visible(scope=scope_for(world.users["member_a"]), member=member,
                                       now=at - timedelta(seconds=1)).filter(pk=item.pk).exists()
    assert "七一特稿" in _feed_titles(member, at)
    assert services.item_publish_due(now=at) == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED


def test_withdrawn_item_leaves_the_feed(world, cols):
    item = publish(world, cols["stories"], "有误的稿件")
    services.item_transition(scope=scope_for(world.users["office"]), actor=world.users["office"], item=item,
                             to="withdrawn", now=T0)
    assert "有误的稿件" not in _feed_titles(world.members["member_a"], T0 + timedelta(hours=1))


def test_org_admin_drafts_and_submits_but_only_the_office_schedules(world, cols):
    admin = scope_for(world.users["admin_a"])
    item = services.item_create(scope=admin, actor=world.users["admin_a"], column=cols["stories"],
                                org=world.branch_a, title="支部故事", body="<p>内容</p>")
    item = services.item_transition(scope=admin, actor=world.users["admin_a"], item=item, to="in_review")
    with pytest.raises(Refused):
        services.item_transition(scope=admin, actor=world.users["admin_a"], item=item, to="scheduled",
                                 publish_at=T0)
    with pytest.raises(Refused):  # admin_b does not even reach 支部A's item
        services.item_transition(scope=scope_for(world.users["admin_b"]), actor=world.users["admin_b"],
                                 item=item, to="draft")
    office = scope_for(world.users["office"])
    item = services.item_transition(scope=office, actor=world.users["office"], item=item, to="scheduled",
                                    publish_at=T0 + timedelta(days=1), now=T0)
    assert item.status == ItemStatus.SCHEDULED
    with pytest.raises(Conflict):  # no skipping back to draft from scheduled
        services.item_transition(scope=office, actor=world.users["office"], item=item, to="draft")
    actions = list(AuditEvent.objects.filter(object_id=str(item.pk), action__startswith="learning.item.")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["learning.item.created", "learning.item.in_review", "learning.item.scheduled"]


def test_published_item_cannot_be_edited(world, cols):
    item = publish(world, cols["stories"], "已发布")
    with pytest.raises(Conflict):
        services.item_update(scope=scope_for(world.users["office"]), actor=world.users["office"], item=item,
                             title="改标题")


def test_rich_text_is_sanitised(world, cols):
    item = publish(world, cols["stories"], "富文本",
                   body='<p onclick="x()">正文<script>alert(1)</script><img src="javascript:alert(1)"></p>')
    assert "script" not in item.body and "onclick" not in item.body and "javascript" not in item.body
    assert item.body.startswith("<p>正文")


def test_today_in_history_shows_the_entries_of_todays_month_day(world, cols):
    publish(world, cols["today"], "遵义会议召开", month=1, day=15, event_year=1935)
    publish(world, cols["today"], "中共一大开幕", month=7, day=23, event_year=1921)
    feed = selectors.feed_today(member=world.members["member_a"], now=T0.replace(year=2022, month=1, day=15))
    assert [i.title for i in feed["on_this_day"]] == ["遵义会议召开"]
    assert "遵义会议召开" not in {i.title for i in feed["latest"]}


def test_feed_query_count_does_not_grow_with_content(world, cols, django_assert_max_num_queries):
    member = world.members["member_a"]
    for n in range(3):
        publish(world, cols["stories"], f"故事{n}")
    with django_assert_max_num_queries(4):
        selectors.feed_today(member=member, now=T0 + timedelta(hours=1))
    for n in range(30):
        publish(world, cols["today"], f"今天{n}", month=5, day=10, event_year=1900 + n)
        publish(world, cols["videos"], f"视频{n}", duration_seconds=60)
    with django_assert_max_num_queries(4):
        feed = selectors.feed_today(member=member, now=T0 + timedelta(hours=1))
    assert len(feed["on_this_day"]) == 30 and len(feed["latest"]) == selectors.FEED_LATEST
