"""Helpers for learning tests: columns, point rules and published items built through the services."""

from datetime import datetime

import pytest
from django.utils import timezone

from dangshi.learning import services
from dangshi.learning.models import LearningColumn, PointRule
from dangshi.orgs.scope import scope_for

T0 = datetime(2021, 5, 10, 9, 0, tzinfo=timezone.get_fixed_timezone(480))  # a Monday morning, Beijing time
COLUMNS = [("today", "党史上的今天", "today"), ("questions", "党史百问", "qa"), ("stories", "党史小故事", "story"),
           ("daily", "党史百年天天读", "daily"), ("books", "必读书目", "book"), ("films", "红色影片", "film"),
           ("songs", "红色歌曲", "song"), ("lessons", "微党课", "lesson"), ("videos", "短视频", "video")]
RULES = [("read", "阅读学习内容", 1, 5, None), ("quiz", "完成每日答题", 2, 2, None), ("checkin", "红色阵地打卡", 3, 6, None),
         ("attend", "参加宣讲活动", 5, 10, None)]


@pytest.fixture
def cols(db) -> dict[str, LearningColumn]:
    # The data migration creates them; transactional tests flush it, so make sure here.
    for code, name, points, daily, total in RULES:
        PointRule.objects.get_or_create(code=code, defaults={"name": name, "points": points, "daily_cap": daily,
                                                             "total_cap": total})
    return {code: LearningColumn.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]
            for code, name, kind in COLUMNS}


def publish(world, column, title: str, body: str = "<p>正文</p>", *, at: datetime = T0, org=None,
            verified: bool = True, **fields):
    """An item created by the office and scheduled at `at` (published at once if `at` has passed),
    marked 已核 by the office first unless `verified=False` (fact columns need it to be seen)."""
    office = scope_for(world.users["office"])
    actor = world.users["office"]
    item = services.item_create(scope=office, actor=actor, column=column, org=org or world.root, title=title,
                                body=body, **fields)
    if verified:
        item = services.item_verify(scope=office, actor=actor, item=item, against="测试用原文", page="1")
    services.item_transition(scope=office, actor=actor, item=item, to="in_review", now=T0)
    item.refresh_from_db()
    return services.item_transition(scope=office, actor=actor, item=item, to="scheduled", publish_at=at, now=T0)
