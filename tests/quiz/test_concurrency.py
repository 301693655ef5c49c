"""Races the database closes (PostgreSQL only: SQLite serialises every writer anyway)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from dangshi.errors import Conflict
from dangshi.quiz.models import Attempt, Standing
from dangshi.quiz.services import attempt_start, attempt_submit

# The server allows 100 connections, shared with other test runs: 100 submissions go out on
# 40 connections (threads), all starting at one barrier, each thread sending its share back to back.
WORKERS = 40


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
