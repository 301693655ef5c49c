"""PostgreSQL: many members claim a capped matter at once. The matter row lock in
`matter_claim` (select_for_update) makes the cap hold: exactly `cap` claims land, the rest
get Conflict, and the counter equals the rows."""

import threading

import pytest
from django.db import connection

from dangshi.errors import Conflict
from dangshi.orgs.models import MemberCategory
from dangshi.practical import services
from dangshi.practical.models import Claim, Matter
from tests import factories as f
from tests.practical.helpers import matter

CAP, CLAIMANTS = 3, 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_beyond_the_cap_leave_a_consistent_state(world):
    m = matter(world, org=world.root, claimant_cap=CAP)
    members = [f.member(world.branch_a, f"领导{i}", user=f.user(f"racer{i}"), category=MemberCategory.LEADER)
               for i in range(CLAIMANTS)]
    barrier = threading.Barrier(CLAIMANTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def claim(member):
        try:
            member = type(member).objects.select_related("org", "user").get(pk=member.pk)
            target = Matter.objects.select_related("org", "campaign").get(pk=m.pk)
            barrier.wait(timeout=30)
            services.matter_claim(matter=target, member=member, actor=member.user)
            result = "ok"
        except Conflict:
            result = "conflict"
        except Exception as exc:  # noqa: BLE001 - reported in the assertion below
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=claim, args=(mb,)) for mb in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["conflict"] * (CLAIMANTS - CAP) + ["ok"] * CAP, outcomes
    m.refresh_from_db()
    assert m.claim_count == CAP == Claim.objects.filter(matter=m).count()
    assert m.state == "claimed"
