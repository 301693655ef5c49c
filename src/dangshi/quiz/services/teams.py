"""团队赛: org admins register teams for a contest (the daily contest or a challenge), and a
team's score is the average of its members' scores in that contest.

A member's score is the one the contest ranks them by: in a daily contest the season score
A × P (the formula of `selectors.ranking`), in a challenge the best run. A member who has not taken part
scores 0 and still counts: a team is as strong as all of its members, not its keenest ones.
A member belongs to one team per contest (a database constraint); a team's members come from
its org's subtree.
"""


from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Conflict, Invalid
from dangshi.quiz.models import Team, TeamMember

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org
    from dangshi.quiz.models import Contest


def team_register(*, contest: Contest, org: Org, name: str, actor=None) -> Team:
    """Register a team of `org` (in the caller's reach, checked by the caller's scope) for a
    contest that covers the org."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 60:
        raise Invalid(_("团队名称应为 1 至 60 字。"), field="name")
    if not contest.org.contains(org):
        raise Invalid(_("该竞赛不覆盖这个组织。"), field="contest")
    _check_open(contest)
    try:
        with transaction.atomic():
            team = Team.objects.create(contest=contest, org=org, name=name,
                                       created_by=actor if getattr(actor, "pk", None) else None)
            log_event("quiz.team.registered", actor=actor, obj=team, data={"contest": contest.pk, "name": name})
    except IntegrityError:
        raise Conflict(_("该组织已有同名团队。"), field="name") from None
    return team


def team_member_add(*, team: Team, member: Member, actor=None) -> TeamMember:
    """Add a member of the team's org subtree; one team per member per contest (the database
    refuses a second, even when two admins add the same member at once)."""
    _check_open(team.contest)
    if not member.active:
        raise Invalid(_("只有在册党员可以加入团队。"), field="member")
    if not team.org.contains(member.org):
        raise Invalid(_("只能添加本团队所属组织的党员。"), field="member")
    try:
        with transaction.atomic():
            row = TeamMember.objects.create(team=team, contest_id=team.contest_id, member=member)
            log_event("quiz.team.member_added", actor=actor, obj=team, data={"member": member.pk})
    except IntegrityError:
        raise Conflict(_("该党员已在本竞赛的一个团队中。"), field="member") from None
    return row


def team_member_remove(*, membership: TeamMember, actor=None) -> None:
    team = membership.team
    _check_open(team.contest)
    with transaction.atomic():
        if not TeamMember.objects.filter(pk=membership.pk).delete()[0]:
            raise Conflict(_("该党员已不在本团队中。"), field="member")
        log_event("quiz.team.member_removed", actor=actor, obj=team, data={"member": membership.member_id})


def _check_open(contest: Contest) -> None:
    """Teams and their rosters are fixed once the contest is over: nobody forms a team of the
    best scorers afterwards."""
    if contest.ends_on < timezone.localdate():
        raise Conflict(_("该竞赛已经结束,团队名单不能再更改。"))
