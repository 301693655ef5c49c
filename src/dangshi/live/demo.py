"""Live-contest demo: branch1's 党史知识竞赛 with three desks of its members and four rounds
(必答, 抢答, 风险题, 加赛) drawn from the bank and fixed, ready for branch1 (or the office)
to rehearse or run from the host console."""

from dangshi.core.demo import DemoContext
from dangshi.live import services
from dangshi.live.models import RoundKind
from dangshi.orgs.scope import scope_for
from dangshi.orgs.selectors import member_list

TEAMS = ("红旗队", "星火队", "先锋队")
PLAN = ((RoundKind.REQUIRED, 3, 30), (RoundKind.BUZZ, 4, 20), (RoundKind.RISK, 3, 40), (RoundKind.TIEBREAK, 2, 20))


def build(ctx: DemoContext) -> None:
    org, actor = ctx.orgs.get("branch1"), ctx.users.get("branch1")
    if org is None or actor is None:
        return
    members = list(member_list(scope=scope_for(actor), org=org).order_by("id")[: 2 * len(TEAMS)])
    contest = services.contest_create(org=org, title="“学党史 守初心”现场知识竞赛", actor=actor)
    for i, name in enumerate(TEAMS):
        services.team_add(contest=contest, name=name, members=members[2 * i: 2 * i + 2], actor=actor)
    for kind, count, seconds in PLAN:
        rnd = services.round_add(contest=contest, kind=kind, seconds=seconds, points=10,
                                 penalty=10 if kind == RoundKind.BUZZ else 0, foul_penalty=5, actor=actor)
        services.round_questions_draw(round=rnd, count=count, actor=actor)
    services.contest_fix(contest=contest, actor=actor)
    ctx.log(f"live: {contest.title} (desk PINs on /live/{contest.pk}/)")
