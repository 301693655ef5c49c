import datetime
from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.renderers import JSONRenderer

from dangshi.core.context import client_ip
from dangshi.core.crypto import digest
from dangshi.errors import Refused
from dangshi.quiz import selectors, services

router = Router(tags=["quiz"])
# The project API's renderer (dangshi.api keeps ninja's default): the submit renders its result
# with it directly, as the API's `create_response` would.
_RENDERER = JSONRenderer()
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


class OptionOut(Schema):
    key: str
    text: str


class QuestionOut(Schema):
    id: int
    type: str
    stem: str
    options: list[OptionOut]


class DailyOut(Schema):
    contest: str
    day: date
    started_at: str
    seconds_per_question: int
    submitted: bool
    questions: list[QuestionOut]


class SubmitIn(Schema):
    answers: dict[str, list[str] | str]
    timings: dict[str, int] = Field(default_factory=dict, description="每题用时(毫秒,浏览器上报,仅用于复核)")


class GradedOut(QuestionOut):
    correct: bool
    counted: bool
    answer: list[str]
    given: list[str]
    explanation: str
    source: str


class ResultOut(Schema):
    score: int
    correct: int
    total: int
    questions: list[GradedOut]


class RankRow(Schema):
    rank: int
    member: str
    org: str
    score: float
    accuracy: float
    days: int


class LeaderboardOut(Schema):
    contest: str
    org: str
    period: str
    key: str
    days_open: int
    mu: float
    m: int
    rows: list[RankRow]
    me: RankRow | None


class LeaderboardQuery(Schema):
    org: str | None = None
    period: str = Field("season", pattern="^(day|month|season)$")
    date: datetime.date | None = None
    limit: int = Field(100, ge=1, le=500)


class CertificateOut(Schema):
    serial: str
    valid: bool
    name: str
    org: str
    title: str
    contest: str
    campaign: str
    rank: int
    issued_on: date


def _member(request):
    """The caller's own member record. Bearer auth has read it with the token (it is cached on
    the user: no second query on the submit's hot path); otherwise it is read through the scope."""
    scope = request.scope
    if not scope.is_member:
        raise Http404(_("只有党员本人可以答题。"))
    user = request.user
    if user._meta.get_field("member").is_cached(user) and user.member.pk == scope.member_id:
        return user.member
    return scope.member_or_404(scope.member_id)


def _device(request) -> str:
    return digest(request.headers.get("User-Agent", "") + "|" + request.COOKIES.get("dsdev", ""))[:64]


@router.get("daily", response=DailyOut, summary="今日题目(首次调用即开始计时;不含答案)")
def quiz_daily_get(request):
    member = _member(request)
    contest = selectors.contest_for_member_or_404(member=member)
    attempt = services.attempt_start(contest=contest, member=member, ip=client_ip(request), device=_device(request),
                                     actor=request.user)
    payload = selectors.attempt_payload(attempt=attempt)
    payload["started_at"] = attempt.started_at.isoformat()
    return payload


class AnswerIn(Schema):
    question: int
    answer: list[str] | str


class AnswerOut(Schema):
    question: int
    recorded: bool = True


@router.post("daily/answer", response=AnswerOut, summary="记录一题的作答(到达服务器即计时;不返回对错)")
def quiz_daily_answer(request, body: AnswerIn):
    member = _member(request)
    contest = selectors.contest_for_member_or_404(member=member)
    services.attempt_answer(contest=contest, member=member, question_id=body.question, given=body.answer,
                            actor=request.user)
    return {"question": body.question}


@router.post("daily/submit", response=ResultOut, summary="提交今日答卷(每天一次,再次提交返回 409)")
def quiz_daily_submit(request, body: SubmitIn):
    member = _member(request)
    contest = selectors.contest_for_member_cached_or_404(member=member)
    attempt = services.attempt_submit(contest=contest, member=member, answers=body.answers, timings=body.timings,
                                      actor=request.user)
    result = selectors.attempt_result(attempt=attempt, items=attempt.graded_items)
    # Rendered as it stands rather than validated against ResultOut once more (the schema still
    # documents it): `attempt_result` builds exactly its fields, and on the hot path the
    # validation of ten questions cost more than the grading (docs/perf/quiz.md).
    return HttpResponse(_RENDERER.render(request, result, response_status=200), status=200,
                        content_type=_CONTENT_TYPE)


@router.get("daily/answers", response=ResultOut, summary="某日本人答卷的答案与解析(当日结束后公开)")
def quiz_daily_answers(request, day: date):
    member = _member(request)
    if not selectors.day_closed(day=day):
        raise Refused(_("当日答题结束后才公布答案。"))
    contest = selectors.contest_for_member_or_404(member=member, day=day)
    attempt = selectors.today_attempt(contest=contest, member=member, day=day)
    if attempt is None or attempt.submitted_at is None:
        raise Http404(_("当天没有答卷。"))
    return selectors.attempt_result(attempt=attempt)


@router.get("leaderboard", response=LeaderboardOut, summary="排行榜(A×P,按组织范围)")
def quiz_leaderboard(request, q: Query[LeaderboardQuery]):
    scope = request.scope
    me = _member(request) if scope.is_member else None
    org = selectors.board_org_or_404(scope=scope, code=q.org, member=me)
    day = q.date or timezone.localdate()
    contest = selectors.contest_for_org_cached_or_404(org=org, day=day)
    board = selectors.ranking.leaderboard(contest=contest, org=org, kind=q.period, day=day, limit=q.limit, me=me)
    selectors.board_as_seen(board["rows"], scope=scope)
    period = board["period"]
    return {"contest": contest.title, "org": org.name, "period": period.kind, "key": period.key,
            "days_open": period.days_open, "mu": round(board["mu"], 6), "m": board["m"], "rows": board["rows"],
            "me": board["me"]}


@router.get("certificates/{serial}", response=CertificateOut, auth=None, summary="证书核验(公开,仅姓名与组织)")
def quiz_certificate_verify(request, serial: str):
    cert = selectors.certificate_by_serial(serial)
    if cert is None:
        raise Http404(_("未找到该编号的证书。"))
    return {"serial": cert.serial, "valid": True, "name": cert.member.name, "org": cert.org.name,
            "title": cert.title, "contest": cert.contest.title, "campaign": cert.contest.campaign.name,
            "rank": cert.rank, "issued_on": timezone.localtime(cert.issued_at).date()}


# -- 挑战答题 and 团队赛 -------------------------------------------------------------------

class ChallengeStartOut(Schema):
    run: int
    contest: str
    seconds_per_question: int
    seconds_left: int
    streak: int = Field(description="本轮已连续答对的题数(继续未结束的一轮时大于 0)")
    question: QuestionOut


class ChallengeAnswerIn(Schema):
    question: int
    answer: list[str] | str


class ChallengeAnswerOut(Schema):
    question: int
    correct: bool
    late: bool
    answer: list[str] = Field(description="本题的正确答案(作答之后才返回)")
    given: list[str]
    explanation: str
    source: str
    streak: int
    ended: bool
    end_reason: str | None
    best: int | None
    next: QuestionOut | None
    seconds_left: int | None


class ChallengeRow(Schema):
    rank: int
    member: str
    org: str
    best: int
    time_ms: int
    runs: int


class ChallengeBoardOut(Schema):
    contest: str
    org: str
    rows: list[ChallengeRow]
    me: ChallengeRow | None


class ChallengeBoardQuery(Schema):
    org: str | None = None
    limit: int = Field(100, ge=1, le=500)


class TeamRow(Schema):
    rank: int
    id: int
    name: str
    org: str
    members: int
    score: float


class TeamsOut(Schema):
    contest: str
    contest_id: int
    kind: str
    org: str
    teams: list[TeamRow]


class TeamsQuery(Schema):
    org: str | None = None
    contest: int | None = None


class TeamIn(Schema):
    org: str = Field(description="团队所属组织的编码(须在本人管理范围内)")
    contest: int
    name: str


class TeamMemberIn(Schema):
    member: int


class TeamMemberOut(Schema):
    id: int
    name: str
    org: str
    score: float
    played: bool


class TeamOut(Schema):
    id: int
    name: str
    org: str
    contest: str
    score: float
    members: list[TeamMemberOut]


@router.post("challenge/start", response=ChallengeStartOut, summary="开始一轮挑战(发出第一题即开始计时;不含答案)")
def quiz_challenge_start(request):
    member = _member(request)
    run = services.challenge.challenge_start(contest=selectors.challenge.contest_for_member_or_404(member=member), member=member,
                                    actor=request.user)
    item = selectors.challenge.open_item(run)
    if item is None:  # the open run was ended by a racing answer: the member starts again
        raise Http404(_("本轮挑战已经结束。"))
    return {"run": run.pk, "contest": run.contest.title, "seconds_per_question": run.contest.seconds_per_question,
            "seconds_left": selectors.challenge.seconds_left(contest=run.contest, item=item), "streak": run.correct,
            "question": selectors.challenge.question_payload(item)}


@router.post("challenge/{run_id}/answer", response=ChallengeAnswerOut,
             summary="回答当前题目:返回本题对错与解析,以及下一题或本轮结束")
def quiz_challenge_answer(request, run_id: int, body: ChallengeAnswerIn):
    member = _member(request)
    run = selectors.challenge.run_or_404(member=member, run_id=run_id)
    done = services.challenge.challenge_answer(run=run, question_id=body.question, given=body.answer, actor=request.user)
    ended = done.run.ended_at is not None
    best = selectors.challenge.best_of(contest=done.run.contest, member=member) if ended else None
    nxt = done.next_item
    return {**selectors.challenge.verdict_payload(done.item, late=done.late), "streak": done.run.correct, "ended": ended,
            "end_reason": done.run.end_reason or None, "best": best.best if best else None,
            "next": selectors.challenge.question_payload(nxt) if nxt else None,
            "seconds_left": selectors.challenge.seconds_left(contest=done.run.contest, item=nxt) if nxt else None}


@router.get("challenge/board", response=ChallengeBoardOut, summary="挑战排行(每人最好的一轮,按组织范围)")
def quiz_challenge_board(request, q: Query[ChallengeBoardQuery]):
    scope = request.scope
    me = _member(request) if scope.is_member else None
    org = selectors.board_org_or_404(scope=scope, code=q.org, member=me)
    contest = selectors.challenge.latest_contest_for_org(org=org)
    if contest is None:
        raise Http404(_("没有覆盖该组织的挑战答题。"))
    board = selectors.challenge.board(contest=contest, org=org, limit=q.limit, me=me)
    selectors.board_as_seen(board["rows"], scope=scope)
    return {"contest": contest.title, "org": org.name, "rows": board["rows"], "me": board["me"]}


@router.get("teams", response=TeamsOut, summary="团队排行(团队得分 = 成员个人得分的平均值,按组织范围)")
def quiz_teams(request, q: Query[TeamsQuery]):
    scope = request.scope
    me = _member(request) if scope.is_member else None
    org = selectors.board_org_or_404(scope=scope, code=q.org, member=me)
    contest = selectors.teams.contest_for_team_or_404(org=org, contest_id=q.contest, below=True)
    rows = selectors.teams.teams_board(contest=contest, org=org)
    return {"contest": contest.title, "contest_id": contest.pk, "kind": contest.kind, "org": org.name,
            "teams": [{**r, "score": round(r["score"], 6)} for r in rows]}


def _team_out(team) -> dict:
    detail = selectors.teams.team_detail(team=team)
    return {"id": team.pk, "name": team.name, "org": team.org.name, "contest": team.contest.title,
            "score": round(detail["score"], 6),
            "members": [{"id": r["member"].pk, "name": r["member"].name, "org": r["member"].org.name,
                         "score": round(r["score"], 6), "played": r["played"]} for r in detail["rows"]]}


@router.post("teams", response={201: TeamOut}, summary="报名团队(组织管理员;组织须在本人管理范围内)")
def quiz_team_register(request, body: TeamIn):
    scope = request.scope
    scope.require_admin()
    org = scope.org_or_404(body.org)
    contest = selectors.teams.contest_for_team_or_404(org=org, contest_id=body.contest)
    team = services.teams.team_register(contest=contest, org=org, name=body.name, actor=request.user)
    return 201, _team_out(team)


@router.post("teams/{team_id}/members", response={201: TeamOut},
             summary="添加团队成员(须为团队所属组织及下级组织的党员)")
def quiz_team_member_add(request, team_id: int, body: TeamMemberIn):
    scope = request.scope
    team = selectors.teams.team_or_404(scope=scope, team_id=team_id)
    services.teams.team_member_add(team=team, member=scope.member_or_404(body.member), actor=request.user)
    return 201, _team_out(team)


@router.delete("teams/{team_id}/members/{member_id}", response=TeamOut, summary="移出团队成员")
def quiz_team_member_remove(request, team_id: int, member_id: int):
    team = selectors.teams.team_or_404(scope=request.scope, team_id=team_id)
    services.teams.team_member_remove(membership=selectors.teams.membership_or_404(team=team, member_id=member_id),
                             actor=request.user)
    return _team_out(team)
