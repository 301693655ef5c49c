"""Races the compare-and-set and the constraints close (PostgreSQL only)."""

import threading

import pytest
from django.db import connection

from dangshi.errors import Conflict
from dangshi.orgs.scope import scope_for
from dangshi.pledges import services
from dangshi.pledges.machine import Action
from dangshi.pledges.models import Pledge, PledgeRating, State
from tests.pledges import builders as b

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n, work):
    barrier, results = threading.Barrier(n), []

    def run(i):
        try:
            barrier.wait()
            results.append(("ok", work(i)))
        except Conflict as exc:
            results.append(("conflict", str(exc.message)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_reviewers_acting_at_once_only_one_wins(world):
    pledge = b.pledge_in(world, State.SUBMITTED)
    reviewers = [("admin_a", Action.APPROVE), ("office", Action.RETURN)] * 3

    def work(i):
        persona, action = reviewers[i]
        copy = Pledge.objects.get(pk=pledge.pk)
        return services.pledge_act(pledge=copy, action=action, scope=scope_for(world.users[persona]),
                                   actor=world.users[persona], comment="意见").state

    results = _race(len(reviewers), work)
    assert sorted(r for r, _ in results) == ["conflict"] * 5 + ["ok"]
    final = Pledge.objects.get(pk=pledge.pk).state
    assert final in (State.APPROVED, State.RETURNED) and [v for r, v in results if r == "ok"] == [final]


def test_one_account_rating_twice_at_once_counts_once(world):
    pledge = b.pledge_in(world, State.RATING_OPEN)
    user = world.users["outsider"]

    def work(_):
        return services.pledge_rate(pledge=pledge, scope=scope_for(user), actor=user, value="优秀", today=b.TODAY).pk

    results = _race(4, work)
    assert sorted(r for r, _ in results) == ["conflict"] * 3 + ["ok"]
    assert PledgeRating.objects.filter(pledge=pledge).count() == 1
