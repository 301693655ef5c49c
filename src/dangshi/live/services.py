"""Writes of the live contest: preparing a show (teams, rounds, questions fixed before it) and
running it (the host's state machine, buzzes, answers, judges' adjustments, undo).

The server owns the clock and the state. Every change runs in one transaction with the
contest row locked (`_locked`), takes the contest's next sequence number, is logged with
`log_event`, and after commit is pushed to every open socket of the show (`realtime.push`).
Buzzes are ordered by the server's receive time, stamped by the socket consumer the moment
the frame arrives, then by that sequence number.

A question's life: hidden → shown (on screen; in 抢答 and 加赛 a buzz now is a foul) → open
(the clock runs; 必答 and 风险题 answer, 抢答 buzzes) → floor (抢答: the first valid buzz
has the floor) → closed (judged) → revealed (the answer on screen).
"""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core import ratelimit
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.live import realtime
from dangshi.live.models import (
    AudienceAnswer,
    Buzz,
    Contestant,
    LiveContest,
    LiveQuestion,
    Phase,
    QState,
    Round,
    RoundKind,
    ScoreEvent,
    ScoreKind,
    Team,
    TeamAnswer,
)
from dangshi.live.selectors import campaign_of, ranking, team_scores
from dangshi.quiz import selectors as quiz_selectors
from dangshi.quiz import services as quiz_services

BUZZ_KINDS = (RoundKind.BUZZ, RoundKind.TIEBREAK)
TURN_KINDS = (RoundKind.REQUIRED, RoundKind.RISK)
DEFAULT_RISK_VALUES = [10, 20, 30]


def _locked(contest: LiveContest) -> LiveContest:
    """The contest row, locked for this transaction (SQLite: the IMMEDIATE transaction already
    serialises writers). Closes the race of two buzzes, or a buzz and the host, at once."""
    return LiveContest.objects.select_for_update().get(pk=contest.pk)


def _bump(contest: LiveContest, **fields) -> int:
    contest.seq += 1
    for name, value in fields.items():
        setattr(contest, name, value)
    contest.save(update_fields=["seq", *fields])
    if not getattr(contest, "_push_scheduled", False):  # one push per transaction, however many changes
        contest._push_scheduled = True
        transaction.on_commit(lambda pk=contest.pk: realtime.push(pk))
    return contest.seq


def _require_phase(contest: LiveContest, *phases: str) -> None:
    if contest.phase not in phases:
        raise Conflict(_("竞赛当前阶段不允许此操作。"))


# -- preparing the show ------------------------------------------------------------------


def contest_create(*, org, title: str, public: bool = False, actor=None) -> LiveContest:
    title = (title or "").strip()
    if not title:
        raise Invalid(_("请填写竞赛名称。"), field="title")
    with transaction.atomic():
        contest = LiveContest.objects.create(org=org, title=title[:120], public=public,
                                             created_by=actor if getattr(actor, "pk", None) else None)
        log_event("live.contest.created", actor=actor, obj=contest, data={"title": contest.title, "public": public})
    return contest


def team_add(*, contest: LiveContest, name: str, members=(), actor=None) -> Team:
    """A desk: a name, a six-digit PIN and a key for its QR code. `members` must belong to the
    contest's org subtree (the caller reads them through the scope)."""
    name = (name or "").strip()
    if not name:
        raise Invalid(_("请填写队名。"), field="name")
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.DRAFT)
        for member in members:
            if not member.org.path.startswith(contest.org.path):
                raise Invalid(_("队员必须是主办组织及下级组织的党员。"), field="members")
        position = contest.teams.count() + 1
        team = Team.objects.create(contest=contest, name=name[:40], position=position,
                                   pin=f"{secrets.randbelow(10**6):06d}", join_key=secrets.token_urlsafe(18))
        Contestant.objects.bulk_create(Contestant(team=team, member=m) for m in members)
        log_event("live.team.added", actor=actor, obj=contest, data={"team": team.pk, "name": team.name,
                                                                     "members": len(members)})
    return team


def round_add(*, contest: LiveContest, kind: str, title: str = "", seconds: int = 30, points: int = 10,
              penalty: int = 0, foul_penalty: int = 5, risk_values: list[int] | None = None, actor=None) -> Round:
    if kind not in RoundKind.values:
        raise Invalid(_("轮次类型无效。"), field="kind")
    if not 5 <= seconds <= 600:
        raise Invalid(_("限时应在 5 到 600 秒之间。"), field="seconds")
    if not (0 <= points <= 100 and 0 <= penalty <= 100 and 0 <= foul_penalty <= 100):
        raise Invalid(_("分值应在 0 到 100 之间。"), field="points")
    values = sorted({int(v) for v in (risk_values or DEFAULT_RISK_VALUES)}) if kind == RoundKind.RISK else []
    if any(not 1 <= v <= 100 for v in values):
        raise Invalid(_("风险分值应在 1 到 100 之间。"), field="risk_values")
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.DRAFT)
        rnd = Round.objects.create(contest=contest, position=contest.rounds.count() + 1, kind=kind,
                                   title=(title or RoundKind(kind).label)[:40], seconds=seconds, points=points,
                                   penalty=penalty, foul_penalty=foul_penalty, risk_values=values)
        log_event("live.round.added", actor=actor, obj=contest,
                  data={"round": rnd.pk, "kind": kind, "seconds": seconds, "points": points, "penalty": penalty,
                        "foul_penalty": foul_penalty, "risk_values": values})
    return rnd


def _add_questions(rnd: Round, questions) -> list[LiveQuestion]:
    teams = list(rnd.contest.teams.order_by("position"))
    start = rnd.questions.count()
    taken = set(LiveQuestion.objects.filter(round__contest=rnd.contest).values_list("question_id", flat=True))
    rows = []
    for question in questions:
        if question.pk in taken:
            continue
        taken.add(question.pk)
        i = start + len(rows)
        # 必答 and 风险题 go round the desks in turn.
        team = teams[i % len(teams)] if rnd.kind in TURN_KINDS and teams else None
        rows.append(LiveQuestion(round=rnd, position=i + 1, question=question, version=question.current, team=team))
    return LiveQuestion.objects.bulk_create(rows)


def round_questions_choose(*, round: Round, question_ids: list[int], actor=None) -> list[LiveQuestion]:
    """Questions picked from the bank by id, in the order given (ones already in the show skipped)."""
    questions = {q.pk: q for q in quiz_selectors.bank_questions(ids=question_ids)}
    missing = [i for i in question_ids if i not in questions]
    if missing:
        raise Invalid(_("题库中没有这些题目:%(ids)s") % {"ids": ", ".join(map(str, missing))}, field="questions")
    with transaction.atomic():
        contest = _locked(round.contest)
        _require_phase(contest, Phase.DRAFT)
        added = _add_questions(round, [questions[i] for i in question_ids])
        log_event("live.questions.chosen", actor=actor, obj=contest, data={"round": round.pk, "count": len(added)})
    return added


def round_questions_draw(*, round: Round, count: int, category_id: int | None = None,
                         difficulty: int | None = None, actor=None) -> list[LiveQuestion]:
    """Questions drawn at random from the bank by category and difficulty."""
    if not 1 <= count <= 50:
        raise Invalid(_("抽题数量应在 1 到 50 之间。"), field="count")
    with transaction.atomic():
        contest = _locked(round.contest)
        _require_phase(contest, Phase.DRAFT)
        used = LiveQuestion.objects.filter(round__contest=contest).values_list("question_id", flat=True)
        pool = list(quiz_selectors.bank_questions(category_id=category_id, difficulty=difficulty)
                    .exclude(pk__in=list(used)))
        if len(pool) < count:
            raise Invalid(_("题库中符合条件的题目只有 %(n)d 道。") % {"n": len(pool)}, field="count")
        chosen = secrets.SystemRandom().sample(pool, count)
        added = _add_questions(round, chosen)
        log_event("live.questions.drawn", actor=actor, obj=contest,
                  data={"round": round.pk, "count": len(added), "category": category_id, "difficulty": difficulty})
    return added


def contest_fix(*, contest: LiveContest, actor=None) -> LiveContest:
    """Fix the questions: from now on they cannot change, and stay hidden until shown."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.DRAFT)
        if contest.teams.count() < 2:
            raise Conflict(_("至少需要两支参赛队。"))
        if not LiveQuestion.objects.filter(round__contest=contest).exists():
            raise Conflict(_("还没有题目。"))
        _bump(contest, phase=Phase.READY)
        log_event("live.contest.fixed", actor=actor, obj=contest,
                  data={"questions": LiveQuestion.objects.filter(round__contest=contest).count()})
    return contest


# -- running the show --------------------------------------------------------------------


def show_start(*, contest: LiveContest, rehearsal: bool = False, actor=None) -> LiveContest:
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.READY)
        _bump(contest, phase=Phase.LIVE, rehearsal=rehearsal, current=None, deadline=None, paused=False,
              remaining_ms=None)
        log_event("live.show.started", actor=actor, obj=contest, data={"rehearsal": rehearsal})
    return contest


def _current(contest: LiveContest) -> LiveQuestion:
    if contest.current_id is None:
        raise Conflict(_("当前没有题目。"))
    return LiveQuestion.objects.select_related("round", "version", "question", "team", "floor").get(
        pk=contest.current_id)


def question_show(*, contest: LiveContest, question: LiveQuestion, actor=None) -> LiveQuestion:
    """Put a hidden question on screen (its stem and options; never the answer)."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE)
        question = LiveQuestion.objects.select_related("round").get(pk=question.pk, round__contest=contest)
        if question.state != QState.HIDDEN:
            raise Conflict(_("这道题已经出示过。"))
        if contest.current_id and _current(contest).state not in (QState.CLOSED, QState.REVEALED):
            raise Conflict(_("请先判定当前题目。"))
        if question.round.kind == RoundKind.RISK and question.risk_value is None:
            raise Conflict(_("请先由答题队选择风险分值。"))
        question.state = QState.SHOWN
        question.save(update_fields=["state"])
        _bump(contest, current=question, deadline=None, paused=False, remaining_ms=None)
        log_event("live.question.shown", actor=actor, obj=contest, data={"question": question.pk})
    return question


def risk_choose(*, contest: LiveContest, question: LiveQuestion, team: Team, value: int, actor=None) -> LiveQuestion:
    """The team whose turn it is stakes one of the round's values before seeing the question."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE)
        question = LiveQuestion.objects.select_related("round").get(pk=question.pk, round__contest=contest)
        if question.round.kind != RoundKind.RISK:
            raise Conflict(_("只有风险题可以选择分值。"))
        if question.team_id != team.pk:
            raise Refused(_("不是本队的风险题。"))
        if question.state != QState.HIDDEN:
            raise Conflict(_("题目出示后不能再改分值。"))
        if value not in question.round.risk_values:
            raise Invalid(_("分值只能是 %(values)s 之一。") % {"values": "/".join(map(str, question.round.risk_values))},
                          field="value")
        question.risk_value = value
        question.save(update_fields=["risk_value"])
        _bump(contest)
        log_event("live.risk.chosen", actor=actor, obj=contest,
                  data={"question": question.pk, "team": team.pk, "value": value})
    return question


def timer_start(*, contest: LiveContest, now: datetime | None = None, actor=None) -> LiveQuestion:
    """Open the current question: the clock starts (抢答: buzzing opens now)."""
    now = now or timezone.now()
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE)
        question = _current(contest)
        if question.state != QState.SHOWN:
            raise Conflict(_("题目不在待计时状态。"))
        question.state, question.opened_at = QState.OPEN, now
        question.save(update_fields=["state", "opened_at"])
        _bump(contest, deadline=now + timedelta(seconds=question.round.seconds), paused=False, remaining_ms=None)
        log_event("live.question.opened", actor=actor, obj=contest, data={"question": question.pk})
    return question


def pause_toggle(*, contest: LiveContest, now: datetime | None = None, actor=None) -> LiveContest:
    """Pause freezes the clock (what is left is kept); resuming sets a new deadline from it."""
    now = now or timezone.now()
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE)
        if contest.paused:
            deadline = now + timedelta(milliseconds=contest.remaining_ms or 0) if contest.remaining_ms is not None else None
            _bump(contest, paused=False, deadline=deadline, remaining_ms=None)
        else:
            left = max(0, int((contest.deadline - now).total_seconds() * 1000)) if contest.deadline else None
            _bump(contest, paused=True, deadline=None, remaining_ms=left)
        log_event("live.show.paused" if contest.paused else "live.show.resumed", actor=actor, obj=contest)
    return contest


def _clock_running(contest: LiveContest, now: datetime) -> bool:
    return not contest.paused and contest.deadline is not None and now <= contest.deadline


def _score(contest, team, question, kind, points, actor, now, reason="") -> ScoreEvent:
    event = ScoreEvent.objects.create(contest=contest, team=team, question=question, kind=kind, points=points,
                                      reason=reason, actor=actor if getattr(actor, "pk", None) else None,
                                      created_at=now)
    log_event(f"live.score.{kind}", actor=actor, obj=contest,
              data={"event": event.pk, "team": team.pk, "question": question.pk if question else None,
                    "points": points, "reason": reason, "rehearsal": contest.rehearsal})
    return event


def _tied_leaders(contest: LiveContest) -> set[int]:
    scores = team_scores(contest=contest)
    top = max(scores.values(), default=0)
    return {team_id for team_id, score in scores.items() if score == top}


def buzz_record(*, contest: LiveContest, team: Team, received_at: datetime, actor=None) -> Buzz:
    """A desk pressed its buzzer; `received_at` is when the frame reached the server.

    Shown but not open: a foul (the round's foul penalty; no second buzz on this question).
    Open: a valid buzz; the earliest valid one by (receive time, sequence) has the floor. A
    buzz stamped earlier but committed later (another app server) takes the floor over, until
    the host judges."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE)
        question = _current(contest)
        if question.round.kind not in BUZZ_KINDS:
            raise Conflict(_("本轮不是抢答。"))
        if question.round.kind == RoundKind.TIEBREAK and team.pk not in _tied_leaders(contest):
            raise Refused(_("只有同分的队伍参加加赛。"))
        if Buzz.objects.filter(question=question, team=team).exists():
            raise Conflict(_("本队已经抢过这道题。"))
        if question.state == QState.SHOWN or (question.state == QState.HIDDEN):
            seq = _bump(contest)
            buzz = Buzz.objects.create(question=question, team=team, received_at=received_at, seq=seq, foul=True)
            if question.round.foul_penalty:
                _score(contest, team, question, ScoreKind.FOUL, -question.round.foul_penalty, actor, received_at,
                       reason=_("抢答犯规"))
            log_event("live.buzz.foul", actor=actor, obj=contest, data={"question": question.pk, "team": team.pk})
            return buzz
        if question.state not in (QState.OPEN, QState.FLOOR) or not (
                question.state == QState.FLOOR or _clock_running(contest, received_at)):
            raise Conflict(_("抢答尚未开始或已经结束。"))
        seq = _bump(contest)
        buzz = Buzz.objects.create(question=question, team=team, received_at=received_at, seq=seq)
        first = Buzz.objects.filter(question=question, foul=False).order_by("received_at", "seq").first()
        if question.floor_id != first.team_id:
            question.state, question.floor_id = QState.FLOOR, first.team_id
            question.save(update_fields=["state", "floor"])
            contest.save(update_fields=["seq"])
        log_event("live.buzz.recorded", actor=actor, obj=contest,
                  data={"question": question.pk, "team": team.pk, "seq": seq, "floor": question.floor_id})
    return buzz


def team_answer_submit(*, contest: LiveContest, team: Team, given, received_at: datetime) -> TeamAnswer:
    """A desk's typed answer: the team in turn (必答, 风险题) while the clock runs, or the
    team with the floor (抢答). The host accepts or rejects it."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE)
        question = _current(contest)
        answering = question.floor_id if question.round.kind in BUZZ_KINDS else question.team_id
        if answering != team.pk:
            raise Refused(_("现在不是本队答题。"))
        if question.state == QState.OPEN and not _clock_running(contest, received_at):
            raise Conflict(_("答题时间已到。"))
        if question.state not in (QState.OPEN, QState.FLOOR):
            raise Conflict(_("现在不能作答。"))
        answer, created = TeamAnswer.objects.get_or_create(question=question, team=team,
                                                           defaults={"given": given, "received_at": received_at})
        if not created:
            raise Conflict(_("本队已经作答。"))
        _bump(contest)
    return answer


def answer_judge(*, contest: LiveContest, correct: bool, actor=None, now: datetime | None = None) -> ScoreEvent:
    """The host accepts or rejects the answer of the team in turn or with the floor:
    必答/抢答/加赛 gain the round's points or lose its penalty, 风险题 gain or lose the stake."""
    now = now or timezone.now()
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE)
        question = _current(contest)
        rnd = question.round
        team_id = question.floor_id if rnd.kind in BUZZ_KINDS else question.team_id
        if question.state not in (QState.OPEN, QState.FLOOR) or team_id is None:
            raise Conflict(_("没有待判定的作答。"))
        if rnd.kind == RoundKind.RISK:
            points = question.risk_value if correct else -question.risk_value
        else:
            points = rnd.points if correct else -rnd.penalty
        team = Team.objects.get(pk=team_id)
        event = _score(contest, team, question, ScoreKind.CORRECT if correct else ScoreKind.WRONG, points, actor, now)
        question.state = QState.CLOSED
        question.save(update_fields=["state"])
        _bump(contest, deadline=None, paused=False, remaining_ms=None)
    return event


def question_close(*, contest: LiveContest, actor=None) -> LiveQuestion:
    """Nobody answered (time up, no buzz): close without scoring."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE)
        question = _current(contest)
        if question.state not in (QState.SHOWN, QState.OPEN, QState.FLOOR):
            raise Conflict(_("这道题已经判定。"))
        question.state = QState.CLOSED
        question.save(update_fields=["state"])
        _bump(contest, deadline=None, paused=False, remaining_ms=None)
        log_event("live.question.closed", actor=actor, obj=contest, data={"question": question.pk})
    return question


def answer_reveal(*, contest: LiveContest, actor=None) -> LiveQuestion:
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE)
        question = _current(contest)
        if question.state != QState.CLOSED:
            raise Conflict(_("请先判定或结束本题,再公布答案。"))
        question.state = QState.REVEALED
        question.save(update_fields=["state"])
        _bump(contest)
        log_event("live.answer.revealed", actor=actor, obj=contest, data={"question": question.pk})
    return question


def score_adjust(*, contest: LiveContest, team: Team, points: int, reason: str, actor=None,
                 now: datetime | None = None) -> ScoreEvent:
    """A judge's adjustment: any sign, never zero, always with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("调整分数必须说明原因。"), field="reason")
    if points == 0 or abs(points) > 100:
        raise Invalid(_("调整分值应在 -100 到 100 之间且不为 0。"), field="points")
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE, Phase.FINISHED)
        if team.contest_id != contest.pk:
            raise Invalid(_("队伍不属于本竞赛。"), field="team")
        event = _score(contest, team, None, ScoreKind.ADJUST, points, actor, now or timezone.now(),
                       reason=reason[:200])
        _bump(contest)
    return event


def score_undo(*, contest: LiveContest, actor=None, now: datetime | None = None) -> ScoreEvent:
    """Undo the last scoring action not yet undone. If it judged the current question, that
    question goes back to await judgement."""
    now = now or timezone.now()
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE)
        event = contest.score_events.filter(undone_at__isnull=True).order_by("-created_at", "-id").first()
        if event is None:
            raise Conflict(_("没有可撤销的计分。"))
        event.undone_at = now
        event.save(update_fields=["undone_at"])
        if (event.kind in (ScoreKind.CORRECT, ScoreKind.WRONG) and event.question_id == contest.current_id
                and event.question.state == QState.CLOSED):
            question = event.question
            question.state = QState.FLOOR if question.floor_id else QState.OPEN
            question.save(update_fields=["state"])
        _bump(contest)
        log_event("live.score.undone", actor=actor, obj=contest,
                  data={"event": event.pk, "team": event.team_id, "points": event.points, "kind": event.kind})
    return event


def audience_answer(*, contest: LiveContest, viewer: str, name: str, given, received_at: datetime) -> AudienceAnswer:
    """An audience member answers the current question along; no effect on the teams."""
    with transaction.atomic():
        # The contest is read fresh, not locked: the audience never changes the show's state.
        contest = LiveContest.objects.get(pk=contest.pk)
        question = (LiveQuestion.objects.select_related("round", "question", "version")
                    .filter(pk=contest.current_id).first())
        if contest.phase != Phase.LIVE or question is None or question.state not in (
                QState.SHOWN, QState.OPEN, QState.FLOOR):
            raise Conflict(_("现在不能作答。"))
        if question.state == QState.OPEN and not _clock_running(contest, received_at):
            raise Conflict(_("答题时间已到。"))
        correct = quiz_selectors.answer_is_correct(question_type=question.question.type,
                                                   answer=question.version.answer, given=given)
        opened = question.opened_at or received_at
        answer, created = AudienceAnswer.objects.get_or_create(
            question=question, viewer=viewer,
            defaults={"contest": contest, "name": name[:50], "given": given, "correct": correct,
                      "time_ms": max(0, int((received_at - opened).total_seconds() * 1000)),
                      "received_at": received_at})
        if not created:
            raise Conflict(_("这道题已经作答。"))
    return answer


def show_finish(*, contest: LiveContest, actor=None, now: datetime | None = None) -> LiveContest:
    """End the show. A rehearsal leaves no results: its buzzes, answers and scores are
    deleted and the contest is ready for the real show, with its questions hidden again."""
    now = now or timezone.now()
    with transaction.atomic():
        contest = _locked(contest)
        _require_phase(contest, Phase.LIVE)
        if contest.rehearsal:
            questions = LiveQuestion.objects.filter(round__contest=contest)
            Buzz.objects.filter(question__in=questions).delete()
            TeamAnswer.objects.filter(question__in=questions).delete()
            AudienceAnswer.objects.filter(contest=contest).delete()
            contest.score_events.all().delete()
            questions.update(state=QState.HIDDEN, floor=None, opened_at=None, risk_value=None)
            _bump(contest, phase=Phase.READY, rehearsal=False, current=None, deadline=None, paused=False,
                  remaining_ms=None)
            log_event("live.rehearsal.finished", actor=actor, obj=contest)
            return contest
        _bump(contest, phase=Phase.FINISHED, current=None, deadline=None, paused=False, remaining_ms=None,
              finished_at=now)
        log_event("live.show.finished", actor=actor, obj=contest, data={"scores": {
            str(k): v for k, v in team_scores(contest=contest).items()}})
    return contest


def certificates_issue(*, contest: LiveContest, places: int = 3, honour: str = "", actor=None):
    """Certificates for every contestant of the teams placed 1 … `places` (by the final
    ranking), issued through the quiz's certificate machinery; serials verify at /verify/."""
    from_ranking = []
    with transaction.atomic():
        contest = _locked(contest)
        if contest.phase != Phase.FINISHED:
            raise Conflict(_("竞赛结束后才能颁发证书。"))
        if contest.certificate_contest_id:
            raise Conflict(_("本竞赛的证书已经颁发。"))
        campaign = campaign_of(contest=contest)
        for row in ranking(contest=contest):
            if row["place"] > places:
                break
            for contestant in Contestant.objects.filter(team_id=row["team_id"]).select_related("member"):
                from_ranking.append((contestant.member, row["place"]))
        certificates = quiz_services.live_certificates_issue(
            campaign=campaign, org=contest.org, title=contest.title, day=timezone.localdate(contest.finished_at),
            winners=from_ranking, honour=(honour or _("现场知识竞赛优胜者"))[:40], actor=actor)
        contest.certificate_contest_id = certificates[0].contest_id
        contest.save(update_fields=["certificate_contest_id"])
        log_event("live.certificates.issued", actor=actor, obj=contest, data={"count": len(certificates)})
    return certificates



def desk_join(*, team: Team, pin: str, user) -> None:
    """A desk's phone joins its team with the PIN read out to it (five tries a minute per
    user and team)."""
    ratelimit.check(f"live.pin:{getattr(user, 'pk', None)}:{team.pk}", limit=5, window=60)
    if not secrets.compare_digest(str(pin or "").strip(), team.pin):
        raise Invalid(_("口令不正确。"), field="pin")
    log_event("live.desk.joined", actor=user, obj=team.contest, data={"team": team.pk})
