"""Races the row locks close (PostgreSQL only: SQLite serialises writers anyway)."""

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from dangshi.learning.models import OfflineActivity, PointEntry, PointRule
from dangshi.learning.services.reading import points_award
from tests.learning.conftest import T0

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_awards_never_pass_the_daily_cap(world, cols):
    PointRule.objects.filter(code="quiz").update(points=2, daily_cap=4)
    member = world.members["member_a"]
    causes = [OfflineActivity.objects.create(member=member, kind="book", title=str(n), day=T0.date())
              for n in range(6)]
    barrier = threading.Barrier(len(causes))

    def award(cause):
        try:
            barrier.wait()
            points_award(member=member, rule_code="quiz", cause_type="test", cause_id=str(cause.pk), now=T0)
        finally:
            connection.close()

    threads = [threading.Thread(target=award, args=(c,)) for c in causes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert PointEntry.objects.filter(member=member).aggregate(s=Sum("points"))["s"] == 4
    assert PointEntry.objects.filter(member=member).count() == 2
