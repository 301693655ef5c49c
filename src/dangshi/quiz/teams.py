"""团队赛: org admins register teams for a contest (the daily contest or a challenge), and a
team's score is the average of its members' scores in that contest.

A member's score is the one the contest ranks them by: in a daily contest the season score
A × P (the formula of `ranking`), in a challenge the best run. A member who has not taken part
scores 0 and still counts: a team is as strong as all of its members, not its keenest ones.
A member belongs to one team per contest (a database constraint); a team's members come from
its org's subtree.
"""

from collections import defaultdict
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Conflict, Invalid
from dangshi.orgs.models import Member, Org
from dangshi.quiz import ranking
from dangshi.quiz.models import ChallengeBest, Contest, ContestKind, Standing, Team, TeamMember

TEAM_KINDS = (ContestKind.DAILY, ContestKind.CHALLENGE)

# -- selectors --------------------------------------------------------------------------


def _prefixes(path: str) -> list[str]:
    return [path[:i] for i in range(1, len(path) + 1)]


def contests_covering(*, paths, below: bool = False) -> list[Contest]:
    """Contests hosted by one of these orgs or above them (a team of the org may enter), and
    with `below` also those hosted inside their subtrees (an admin sees their teams too)."""
    prefixes = {p for path in paths for p in _prefixes(path)}
    contests = (Contest.objects.filter(kind__in=TEAM_KINDS).select_related("org").order_by("-starts_on", "id"))
    return [c for c in contests if c.org.path in prefixes or (below and any(c.org.path.startswith(p) for p in paths))]


def contest_for_team_or_404(*, org: Org, contest_id: int | None, below: bool = False) -> Contest:
    """The contest asked (or the newest) among those covering the org: hosted by it or above
    it, and with `below` also inside its subtree (a board of a wider org)."""
    where = Q(org__path__in=_prefixes(org.path))
    if below:
        where |= Q(org__path__startswith=org.path)
    qs = Contest.objects.filter(where, kind__in=TEAM_KINDS).select_related("org").order_by("-starts_on", "id")
    contest = qs.filter(pk=contest_id).first() if contest_id else qs.first()
    if contest is None:
        raise Http404(_("未找到覆盖该组织的竞赛。"))
    return contest


def team_or_404(*, scope, team_id: int) -> Team:
    """A team of an org in the admin's reach; anyone else's is 404."""
    team = scope.filter(Team.objects.select_related("contest__org", "org")).filter(pk=team_id).first()
    if team is None:
        raise Http404(_("未找到该团队。"))
    return team


def member_scores(*, contest: Contest, member_ids, day: date | None = None) -> dict[int, float]:
    """Each member's score in the contest (absent: not taken part, 0). `member_ids` may be a
    list or a values() queryset, read as a subquery."""
    if contest.kind == ContestKind.CHALLENGE:
        rows = ChallengeBest.objects.filter(contest=contest, member_id__in=member_ids)
        return {member_id: float(best) for member_id, best in rows.values_list("member_id", "best")}
    # The season score of `ranking`: A = (c + m·μ) / (n + m), P = days ÷ days open.
    period = ranking.period_for(contest=contest, kind="season", day=day or timezone.localdate())
    mu, m, days_open = ranking.contest_mu(contest=contest, period=period), contest.m, max(period.days_open, 1)
    rows = Standing.objects.filter(contest=contest, period="season", member_id__in=member_ids)
    return {member_id: (c + m * mu) / (n + m) * days / days_open
            for member_id, c, n, days in rows.values_list("member_id", "correct", "answered", "days")}


def teams_board(*, contest: Contest, org: Org, day: date | None = None) -> list[dict]:
    """The contest's teams of the org's subtree, ranked by score (the average of the members'
    scores): higher first, then more members, then the earlier registered."""
    teams = list(Team.objects.filter(contest=contest, org__path__startswith=org.path).select_related("org"))
    memberships = TeamMember.objects.filter(team__in=[t.pk for t in teams]).values_list("team_id", "member_id")
    by_team = defaultdict(list)
    for team_id, member_id in memberships:
        by_team[team_id].append(member_id)
    scores = member_scores(contest=contest, member_ids=[m for ids in by_team.values() for m in ids], day=day)
    rows = []
    for team in teams:
        ids = by_team.get(team.pk, [])
        score = sum(scores.get(m, 0.0) for m in ids) / len(ids) if ids else 0.0
        rows.append({"id": team.pk, "team": team, "name": team.name, "org": team.org.name, "members": len(ids),
                     "score": score})
    rows.sort(key=lambda r: (-r["score"], -r["members"], r["id"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def team_detail(*, team: Team, day: date | None = None) -> dict:
    """The team's members with their scores, best first, and the team's score."""
    members = [tm.member for tm in team.members.select_related("member__org").order_by("member__name")]
    scores = member_scores(contest=team.contest, member_ids=[m.pk for m in members], day=day)
    rows = sorted(({"member": m, "score": scores.get(m.pk, 0.0), "played": m.pk in scores} for m in members),
                  key=lambda r: -r["score"])
    average = sum(r["score"] for r in rows) / len(rows) if rows else 0.0
    return {"team": team, "rows": rows, "score": average}


def membership_or_404(*, team: Team, member_id: int) -> TeamMember:
    row = team.members.select_related("team__contest", "member").filter(member_id=member_id).first()
    if row is None:
        raise Http404(_("该党员不在本团队中。"))
    return row


def teams_of_member(*, member: Member):
    """The member's teams, one per contest, newest contest first."""
    return (Team.objects.filter(members__member=member).select_related("contest", "org")
            .order_by("-contest__starts_on", "contest_id"))


def candidates(*, team: Team, q: str = "", limit: int = 50):
    """Members who may join: active, in the team's org subtree, in no team of the contest yet."""
    taken = TeamMember.objects.filter(contest_id=team.contest_id).values("member_id")
    qs = (Member.objects.filter(active=True, org__path__startswith=team.org.path).exclude(pk__in=taken)
          .select_related("org").order_by("org__path", "name"))
    if q:
        qs = qs.filter(name__contains=q)
    return qs[:limit]


# -- services ---------------------------------------------------------------------------


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
