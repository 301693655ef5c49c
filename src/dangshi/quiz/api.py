import datetime
from datetime import date

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from dangshi.core.context import client_ip
from dangshi.core.crypto import digest, mask_name
from dangshi.errors import Refused
from dangshi.quiz import ranking, selectors, services

router = Router(tags=["quiz"])


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
    scope = request.scope
    if not scope.is_member:
        raise Http404(_("只有党员本人可以答题。"))
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
    contest = selectors.contest_for_member_or_404(member=member)
    attempt = services.attempt_submit(contest=contest, member=member, answers=body.answers, timings=body.timings,
                                      actor=request.user)
    return selectors.attempt_result(attempt=attempt, items=attempt.graded_items)


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
    me = scope.member_or_404(scope.member_id) if scope.is_member else None
    org = selectors.board_org_or_404(scope=scope, code=q.org, member=me)
    day = q.date or timezone.localdate()
    contest = selectors.contest_for_org_or_404(org=org, day=day)
    board = ranking.leaderboard(contest=contest, org=org, kind=q.period, day=day, limit=q.limit, me=me)
    if not scope.is_admin:  # members see each other's names masked, their own in full
        for row in board["rows"]:
            if row["member_id"] != scope.member_id:
                row["member"] = mask_name(row["member"])
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
