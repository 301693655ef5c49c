"""Claiming rules by member category (configurable per campaign), the caps, and the office's
"must still claim" list."""

import pytest
from django.urls import reverse

from dangshi.errors import Conflict, Refused
from dangshi.orgs.models import MemberCategory
from dangshi.orgs.scope import scope_for
from dangshi.practical import selectors, services
from dangshi.practical.models import ClaimRole, State
from tests import factories as f
from tests.practical.helpers import campaign, matter


def _member(world, name, category, org=None):
    return f.member(org or world.branch_a, name, user=f.user(name), category=category)


def test_leader_with_no_claim_is_on_the_must_claim_list_until_claiming(world):
    leader = _member(world, "leader1", MemberCategory.LEADER)
    cadre = _member(world, "cadre1", MemberCategory.CADRE)
    m = matter(world, org=world.root)
    office = scope_for(world.users["office"])
    listed = set(selectors.must_claim(scope=office, campaign=campaign(world)).values_list("pk", flat=True))
    assert leader.pk in listed and cadre.pk not in listed
    assert world.members["member_a"].pk not in listed  # ordinary members are not required
    services.matter_claim(matter=m, member=leader, actor=leader.user)
    listed = set(selectors.must_claim(scope=office, campaign=campaign(world)).values_list("pk", flat=True))
    assert leader.pk not in listed


def test_must_claim_page_lists_the_leader_for_the_office(world):
    leader = _member(world, "张领导", MemberCategory.LEADER)
    matter(world)
    body = world.client("office").get(reverse("practical:console_must_claim")).content.decode()
    assert leader.name in body
    assert world.client("admin_a").get(reverse("practical:console_must_claim")).status_code == 404


def test_cancelled_matter_does_not_count_as_a_lead(world):
    leader = _member(world, "leader2", MemberCategory.LEADER)
    m = matter(world)
    services.matter_claim(matter=m, member=leader, actor=leader.user)
    services.matter_cancel(matter=m, actor=world.users["office"], scope=scope_for(world.users["office"]), reason="撤销")
    listed = selectors.must_claim(scope=scope_for(world.users["office"]), campaign=campaign(world))
    assert leader.pk in set(listed.values_list("pk", flat=True))


def test_ordinary_member_only_joins_a_matter_that_has_a_lead(world):
    m = matter(world)
    ordinary = world.members["member_a"]
    with pytest.raises(Refused):
        services.matter_claim(matter=m, member=ordinary, actor=ordinary.user)
    with pytest.raises(Conflict):
        services.matter_claim(matter=m, member=ordinary, actor=ordinary.user, joint=True)
    cadre = _member(world, "cadre2", MemberCategory.CADRE)
    services.matter_claim(matter=m, member=cadre, actor=cadre.user)
    claim = services.matter_claim(matter=m, member=ordinary, actor=ordinary.user, joint=True)
    assert claim.role == ClaimRole.JOINT


def test_cadre_may_lead_one_matter_alone_by_default(world):
    cadre = _member(world, "cadre3", MemberCategory.CADRE)
    first, second = matter(world, title="一"), matter(world, title="二")
    c = services.matter_claim(matter=first, member=cadre, actor=cadre.user)
    assert c.role == ClaimRole.LEAD
    first.refresh_from_db()
    assert first.state == State.CLAIMED
    with pytest.raises(Conflict):
        services.matter_claim(matter=second, member=cadre, actor=cadre.user)


def test_rules_are_configurable_per_campaign(world):
    ordinary = world.members["member_a"]
    services.claim_rule_set(campaign=campaign(world), category=MemberCategory.ORDINARY, may_lead=True, min_leads=1,
                            max_leads=None, may_join=True, actor=world.users["office"], scope=scope_for(world.users["office"]))
    m = matter(world)
    listed = selectors.must_claim(scope=scope_for(world.users["office"]), campaign=campaign(world))
    assert ordinary.pk in set(listed.values_list("pk", flat=True))
    assert services.matter_claim(matter=m, member=ordinary, actor=ordinary.user).role == ClaimRole.LEAD
    with pytest.raises(Refused):
        services.claim_rule_set(campaign=campaign(world), category=MemberCategory.CADRE, may_lead=True, min_leads=0,
                                max_leads=None, may_join=True, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]))


def test_claim_cap_and_double_claim(world):
    m = matter(world, claimant_cap=2)
    a, b, c = (_member(world, f"lead{i}", MemberCategory.LEADER) for i in range(3))
    services.matter_claim(matter=m, member=a, actor=a.user)
    with pytest.raises(Conflict):
        services.matter_claim(matter=m, member=a, actor=a.user)
    services.matter_claim(matter=m, member=b, actor=b.user)
    with pytest.raises(Conflict):
        services.matter_claim(matter=m, member=c, actor=c.user)
    m.refresh_from_db()
    assert m.claim_count == 2 == m.claims.count()


def test_member_cannot_claim_a_matter_of_another_branch_or_for_someone_else(world):
    m = matter(world, org=world.branch_a)
    leader_c = _member(world, "leader_c", MemberCategory.LEADER, org=world.branch_c)
    with pytest.raises(Refused):
        services.matter_claim(matter=m, member=leader_c, actor=leader_c.user)
    leader_a = _member(world, "leader_a", MemberCategory.LEADER)
    with pytest.raises(Refused):
        services.matter_claim(matter=m, member=leader_a, actor=world.users["member_a"])


def test_draft_matter_cannot_be_claimed(world):
    m = matter(world, publish=False)
    leader = _member(world, "leader3", MemberCategory.LEADER)
    with pytest.raises(Conflict):
        services.matter_claim(matter=m, member=leader, actor=leader.user)
