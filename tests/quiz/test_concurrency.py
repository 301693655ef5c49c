"""Races the database closes (PostgreSQL only: SQLite serialises every writer anyway)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from dangshi.errors import Conflict
from dangshi.quiz.models import Attempt, Standing
from dangshi.quiz.services import attempt_start, attempt_submit

# 100 submissions on 100 connections (threads), all released at one barrier (issue #3). The
# stock PostgreSQL allows 100 connections in all; .ci/run raises max_connections to 200.
WORKERS = 100


def _free_connections() -> int:
    """Connections PostgreSQL can still open for us (less the superusers' reserve)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_connections')::int"
                       " - current_setting('superuser_reserved_connections')::int - count(*) FROM pg_stat_activity")
        return cursor.fetchone()[0]


def _run_together(n: int, work) -> list:
    barrier = threading.Barrier(WORKERS)
    results = [None] * n

    def run(worker):
        try:
            barrier.wait()
            for i in range(worker, n, WORKERS):
                try:
                    results[i] = work()
                except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
                    results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_100_concurrent_submissions_by_one_member_leave_exactly_one_attempt(world, contest):
    member = world.members["member_a"]
    contest.starts_on, contest.ends_on = timezone.localdate(), timezone.localdate()
    contest.save()
    assert connection.vendor == "postgresql"
    free = _free_connections()
    if free < WORKERS:
        pytest.skip(f"needs {WORKERS} free PostgreSQL connections, {free} left: raise max_connections "
                    "(ALTER SYSTEM SET max_connections = 200 and restart, as .ci/run does)")

    def start_and_submit():
        attempt_start(contest=contest, member=member)
        return attempt_submit(contest=contest, member=member, answers={})

    results = _run_together(100, start_and_submit)
    accepted = [r for r in results if isinstance(r, Attempt)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(accepted) == 1 and len(refused) == 99, [r for r in results if not isinstance(r, Attempt | Conflict)]
    assert Attempt.objects.filter(member=member).count() == 1
    assert Attempt.objects.get(member=member).submitted_at is not None
    season = Standing.objects.get(member=member, period="season")
    assert season.days == 1 and season.answered == 10
