"""Reads of 团队赛 (see services/teams.py for the rules): the contests a team may enter, the
team board, a team's members with their scores, and who may join."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.orgs.selectors import member_subtree, path_chain
from dangshi.quiz.models import ChallengeBest, Contest, ContestKind, Standing, Team, TeamMember
from dangshi.quiz.selectors import ranking
from dangshi.quiz.selectors.daily import names_masked

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org

TEAM_KINDS = (ContestKind.DAILY, ContestKind.CHALLENGE)



def contests_covering(*, paths, below: bool = False) -> list[Contest]:
    """Contests hosted by one of these orgs or above them (a team of the org may enter), and
    with `below` also those hosted inside their subtrees (an admin sees their teams too)."""
    prefixes = {p for path in paths for p in path_chain(path)}
    contests = (Contest.objects.filter(kind__in=TEAM_KINDS).select_related("org").order_by("-starts_on", "id"))
    return [c for c in contests if c.org.path in prefixes or (below and any(c.org.path.startswith(p) for p in paths))]


def contest_for_team_or_404(*, org: Org, contest_id: int | None, below: bool = False) -> Contest:
    """The contest asked (or the newest) among those covering the org: hosted by it or above
    it, and with `below` also inside its subtree (a board of a wider org)."""
    where = Q(org__path__in=path_chain(org.path))
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
    # The season score of `selectors.ranking`: A = (c + m·μ) / (n + m), P = days ÷ days open.
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


def team_details_of_member(*, member: Member) -> list[dict]:
    """The member's teams (`team_detail` of each), each row with `name` as this member sees
    it (other members' names masked) and `me` marking their own row."""
    details = []
    for team in teams_of_member(member=member):
        detail = team_detail(team=team)
        for row in detail["rows"]:
            row["member_id"], row["name"] = row["member"].pk, row["member"].name
            row["me"] = row["member_id"] == member.pk
        names_masked(detail["rows"], viewer_member_id=member.pk, name_key="name")
        details.append(detail)
    return details


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


def team_ids_of_member(*, member: Member, contest: Contest) -> set[int]:
    """The ids of the member's teams in the contest (at most one), to mark on a board."""
    return set(teams_of_member(member=member).filter(contest=contest).values_list("pk", flat=True))


def candidates(*, team: Team, q: str = "", limit: int = 50):
    """Members who may join: active, in the team's org subtree, in no team of the contest yet."""
    taken = TeamMember.objects.filter(contest_id=team.contest_id).values("member_id")
    qs = (member_subtree(root=team.org).exclude(pk__in=taken)
          .select_related("org").order_by("org__path", "name"))
    if q:
        qs = qs.filter(name__contains=q)
    return qs[:limit]
