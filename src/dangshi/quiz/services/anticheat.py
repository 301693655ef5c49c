"""Review flags on the anti-cheat report's findings (selectors/anticheat.py): the office puts a
member on the review list and records its conclusion; only "excluded" keeps a member out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Conflict, Invalid
from dangshi.quiz.models import Contest, FlagStatus, ReviewFlag

if TYPE_CHECKING:
    from dangshi.orgs.models import Member


def flag_create(*, contest: Contest, member: Member, reason: str, actor=None) -> ReviewFlag:
    if not reason.strip():
        raise Invalid(_("请说明复核原因。"), field="reason")
    try:
        with transaction.atomic():
            flag = ReviewFlag.objects.create(contest=contest, member=member, org_id=member.org_id, reason=reason[:200])
            log_event("quiz.flag.created", actor=actor, obj=flag, data={"contest": contest.pk})
    except IntegrityError:
        raise Conflict(_("该党员已在复核名单中。")) from None
    return flag


def flag_review(*, flag: ReviewFlag, status: str, actor=None) -> ReviewFlag:
    if status not in (FlagStatus.CLEARED, FlagStatus.EXCLUDED):
        raise Invalid(_("复核结论无效。"), field="status")
    if flag.contest.certificates.exists():
        raise Conflict(_("评选已完成,不能再修改复核结论。"))
    with transaction.atomic():
        ReviewFlag.objects.filter(pk=flag.pk).update(status=status)
        flag.status = status
        log_event("quiz.flag.reviewed", actor=actor, obj=flag, data={"status": status})
    return flag
