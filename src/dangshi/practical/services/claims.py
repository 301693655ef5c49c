"""Writes: claiming rules and claims."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.orgs.scope import Scope
from dangshi.practical import selectors
from dangshi.practical.models import (
    Claim,
    ClaimRole,
    ClaimRule,
    Matter,
    State,
)
from dangshi.practical.services.matters import OPEN_FOR_CLAIMS, _locked, _move, _require_office

if TYPE_CHECKING:
    from dangshi.orgs.models import Campaign, Member


def claim_rule_set(*, campaign: Campaign, category: str, may_lead: bool, min_leads: int, max_leads: int | None,
                   may_join: bool, actor, scope: Scope) -> ClaimRule:
    _require_office(scope, campaign.root)
    if min_leads and not may_lead:
        raise Invalid(_("不可牵头的人员类别不能要求至少领办。"), field="min_leads")
    if max_leads is not None and max_leads < min_leads:
        raise Invalid(_("至多领办件数不能少于至少领办件数。"), field="max_leads")
    with transaction.atomic():
        rule, _created = ClaimRule.objects.update_or_create(
            campaign=campaign, category=category,
            defaults={"may_lead": may_lead, "min_leads": min_leads, "max_leads": max_leads, "may_join": may_join})
        log_event("practical.rule.set", actor=actor, obj=rule, org=campaign.root,
                  data={"category": category, "may_lead": may_lead, "min_leads": min_leads, "max_leads": max_leads,
                        "may_join": may_join})
    return rule


# -- claims --------------------------------------------------------------------------
def matter_claim(*, matter: Matter, member: Member, actor, joint: bool = False) -> Claim:
    """Claim a matter under the campaign's rule for the member's category.

    The matter row is locked (select_for_update) before the claimants are counted: two
    concurrent claims cannot both see room under the cap and both insert (the lost-update
    race on `claim_count`); the check constraint matter_claims_within_cap is the backstop,
    and claim_once_per_member stops a double submit by the same member."""
    if actor is not None and member.user_id != getattr(actor, "pk", None):
        raise Refused(_("只能以本人身份认领实事。"))
    if not member.org.path.startswith(matter.org.path):
        raise Refused(_("只能认领本组织及上级组织发布的实事。"))
    rule = selectors.rule_for(campaign=matter.campaign, category=member.category)
    role = ClaimRole.JOINT if joint else ClaimRole.LEAD
    if role == ClaimRole.LEAD and not rule.may_lead:
        raise Refused(_("按认领规则,您可以合领合办已有牵头人的实事,不能单独领办。"))
    if role == ClaimRole.JOINT and not rule.may_join:
        raise Refused(_("按认领规则,您不能合领合办。"))
    with transaction.atomic():
        locked = _locked(matter)
        if locked.state not in OPEN_FOR_CLAIMS:
            raise Conflict(_("该实事当前不接受认领。"))
        if locked.children.exists():
            raise Conflict(_("请认领具体的子实事。"))
        if Claim.objects.filter(matter=locked, member=member).exists():
            raise Conflict(_("您已认领该实事。"))
        if locked.claimant_cap is not None and locked.claim_count >= locked.claimant_cap:
            raise Conflict(_("该实事认领人数已满。"))
        if role == ClaimRole.JOINT and not Claim.objects.filter(matter=locked, role=ClaimRole.LEAD).exists():
            raise Conflict(_("该实事尚无牵头人,暂不能合领合办。"))
        if role == ClaimRole.LEAD and rule.max_leads is not None:
            leads = Claim.objects.filter(member=member, role=ClaimRole.LEAD, matter__campaign=locked.campaign).exclude(
                matter__state=State.CANCELLED).count()
            if leads >= rule.max_leads:
                raise Conflict(_("您领办的实事已达上限(%(n)d 件)。") % {"n": rule.max_leads})
        claim = Claim.objects.create(matter=locked, member=member, role=role)
        locked.claim_count += 1
        locked.save(update_fields=["claim_count"])
        log_event("practical.claim.created", actor=actor, obj=claim, org=locked.org,
                  data={"matter": locked.pk, "role": role})
        if locked.state == State.PUBLISHED:
            _move(locked, State.CLAIMED, actor=actor)
    return claim
