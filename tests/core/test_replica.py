"""The read replica (core/replica.py), against the real streaming replica `.ci/run` starts
(scripts/ci_replica.sh). Run with DATABASE_REPLICA_URL set; skipped without it."""

import time

import pytest
from django.conf import settings
from django.db import connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from dangshi.core.replica import ReplicaMiddleware, reads_from_replica, using_replica
from dangshi.orgs.models import Org
from tests import factories as f

pytestmark = [
    pytest.mark.skipif("replica" not in settings.DATABASES, reason="DATABASE_REPLICA_URL is not set"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def _replica_has(code: str) -> None:
    """Wait (bounded) until the replica has replayed the primary's commit of org `code`."""
    for _ in range(100):
        if Org.objects.using("replica").filter(code=code).exists():
            return
        time.sleep(0.1)
    raise AssertionError(f"the replica never saw org {code}")


def test_the_replica_alias_is_a_streaming_standby():
    with connections["replica"].cursor() as cursor:
        cursor.execute("select pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True


def test_dashboard_figures_are_read_from_the_replica(world):
    _replica_has("BRC")
    client = world.client("office")
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        page = client.get("/reports/console/dashboard/")
    assert page.status_code == 200
    assert on_replica.captured_queries, "no query of the dashboard went to the replica"
    assert any("orgs_org" in q["sql"] for q in on_replica.captured_queries)


def test_statistics_api_reads_the_replica_and_outsiders_still_get_404(world):
    _replica_has("BRC")
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert world.client("office").get("/api/v1/reports/table").status_code == 200
    assert on_replica.captured_queries
    assert world.client("outsider").get("/api/v1/reports/table").status_code == 404


def test_reads_outside_a_marked_block_stay_on_the_primary(world):
    _replica_has("BRC")
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert Org.objects.filter(code="BRC").exists()
    assert on_replica.captured_queries == []


def test_a_read_after_a_write_in_the_same_request_is_served_by_the_primary(world):
    replica, primary = connections["replica"], connections["default"]

    def view(request):
        with reads_from_replica():
            before = using_replica()
            f.org(world.root, "刚建的党支部", code="NEW1")
            # The replica may not have the new org yet: this read must see it anyway.
            marks = len(replica.queries), len(primary.queries)
            found = Org.objects.filter(code="NEW1").exists()
            return before, using_replica(), found, marks

    with CaptureQueriesContext(replica), CaptureQueriesContext(primary):
        before, after, found, (on_replica, on_primary) = ReplicaMiddleware(view)(RequestFactory().get("/"))
        assert len(replica.queries) == on_replica  # nothing read on the replica after the write
        assert "NEW1" in primary.queries[-1]["sql"] and len(primary.queries) == on_primary + 1
    assert before is True and after is False and found is True


def test_the_next_request_reads_the_replica_again():
    def view(request):
        with reads_from_replica():
            return using_replica()

    assert ReplicaMiddleware(view)(RequestFactory().get("/")) is True


def test_healthz_reports_the_replica_lag(client):
    replica = client.get("/healthz").json()["checks"]["replica"]
    assert replica["ok"] is True and 0 <= replica["lag_seconds"] <= 30
