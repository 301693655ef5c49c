"""Reads of the live contest: who may host, join a desk or watch (out of scope is 404), the
show's state as every screen and phone receives it, scores, rankings and the records."""

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.core.crypto import mask_name
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
    Team,
    TeamAnswer,
)
from dangshi.orgs import selectors as org_selectors
from dangshi.orgs.scope import Scope

SHOWN_STATES = (QState.SHOWN, QState.OPEN, QState.FLOOR, QState.CLOSED, QState.REVEALED)
AUDIENCE_TOP = 10


# -- who may do what ---------------------------------------------------------------------


def contests_for_host(*, scope: Scope):
    if not scope.is_admin:
        return LiveContest.objects.none()
    return scope.filter(LiveContest.objects.select_related("org"), org_field="org")


def contest_for_host_or_404(*, scope: Scope, contest_id: int) -> LiveContest:
    """Host, screen and judges: an admin or office user whose reach includes the contest's org."""
    contest = contests_for_host(scope=scope).filter(pk=contest_id).first()
    if contest is None:
        raise Http404(_("未找到该竞赛。"))
    return contest


def _in_subtree(scope: Scope, contest: LiveContest) -> bool:
    """A signed-in member of the contest org's subtree, or an admin reaching the contest's org."""
    member_path = scope.member_org_path
    return bool(scope.reaches(contest.org) or (member_path is not None and member_path.startswith(contest.org.path)))


def team_for_join_or_404(*, scope: Scope, join_key: str) -> Team:
    """The desk behind a QR code, for a signed-in user of the contest's org subtree only."""
    team = Team.objects.select_related("contest__org").filter(join_key=join_key).first()
    if team is None or not scope.is_authenticated or not _in_subtree(scope, team.contest):
        raise Http404(_("未找到该竞赛。"))
    return team


def contest_for_audience_or_404(*, scope: Scope, contest_id: int) -> LiveContest:
    """The audience: anyone for a public contest, else a signed-in member of the subtree."""
    contest = LiveContest.objects.select_related("org").filter(pk=contest_id).first()
    if contest is None or contest.phase == Phase.DRAFT or not (contest.public or _in_subtree(scope, contest)):
        raise Http404(_("未找到该竞赛。"))
    return contest


def campaign_of(*, contest: LiveContest):
    campaign = org_selectors.campaign_of_org(org=contest.org)
    if campaign is None:
        raise Http404(_("该组织没有学习教育活动。"))
    return campaign


# -- scores and rankings -----------------------------------------------------------------


def team_scores(*, contest: LiveContest) -> dict[int, int]:
    scores = dict.fromkeys(Team.objects.filter(contest=contest).values_list("pk", flat=True), 0)
    rows = (ScoreEvent.objects.filter(contest=contest, undone_at__isnull=True).values("team_id")
            .annotate(total=Sum("points")))
    for row in rows:
        scores[row["team_id"]] = row["total"]
    return scores


def ranking(*, contest: LiveContest) -> list[dict]:
    """Teams by score, highest first; equal scores share a place (1, 1, 3)."""
    scores = team_scores(contest=contest)
    teams = list(Team.objects.filter(contest=contest).order_by("position"))
    teams.sort(key=lambda t: (-scores[t.pk], t.position))
    rows, place = [], 0
    for i, team in enumerate(teams):
        if i == 0 or scores[team.pk] != scores[teams[i - 1].pk]:
            place = i + 1
        rows.append({"team_id": team.pk, "name": team.name, "score": scores[team.pk], "place": place})
    return rows


def audience_ranking(*, contest: LiveContest, limit: int = AUDIENCE_TOP) -> list[dict]:
    """The audience's best: right answers to revealed questions (the current one counts only
    once its answer is out), then the least time taken on them."""
    right = Q(correct=True, question__state=QState.REVEALED)
    rows = (AudienceAnswer.objects.filter(contest=contest).values("viewer", "name")
            .annotate(n_correct=Count("pk", filter=right), n_answered=Count("pk"),
                      right_ms=Sum("time_ms", filter=right))
            .order_by("-n_correct", "right_ms", "viewer")[:limit])
    return [{"place": i, "name": mask_name(r["name"]), "correct": r["n_correct"], "answered": r["n_answered"]}
            for i, r in enumerate(rows, start=1)]


def audience_own(*, contest: LiveContest, viewer: str) -> dict:
    answers = AudienceAnswer.objects.filter(contest=contest, viewer=viewer)
    revealed = answers.filter(question__state=QState.REVEALED)
    return {"answered": answers.count(), "correct": revealed.filter(correct=True).count(),
            "answered_ids": list(answers.values_list("question_id", flat=True))}


# -- the state every view receives -------------------------------------------------------


def _ms(dt) -> int | None:
    return int(dt.timestamp() * 1000) if dt else None


def rules_text(rnd: Round) -> str:
    if rnd.kind == RoundKind.RISK:
        return _("每队轮流答题,答题前选择风险分值 %(values)s;答对得该分,答错扣该分;限时 %(s)d 秒") % {
            "values": "/".join(map(str, rnd.risk_values)), "s": rnd.seconds}
    if rnd.kind == RoundKind.REQUIRED:
        return _("每队轮流必答;答对 +%(p)d 分,答错 −%(n)d 分;限时 %(s)d 秒") % {
            "p": rnd.points, "n": rnd.penalty, "s": rnd.seconds}
    text = _("主持人宣布开始后抢答,抢先者答题;答对 +%(p)d 分,答错 −%(n)d 分,提前抢答犯规 −%(f)d 分;限时 %(s)d 秒") % {
        "p": rnd.points, "n": rnd.penalty, "f": rnd.foul_penalty, "s": rnd.seconds}
    if rnd.kind == RoundKind.TIEBREAK:
        text = _("同分队伍加赛:") + text
    return text


def _options(version, question_type: str) -> list[dict]:
    if question_type == "true_false":
        return [{"key": "对", "text": "对"}, {"key": "错", "text": "错"}]
    return [{"key": k, "text": v} for k, v in (version.options or {}).items()]


def show_state(*, contest_id: int) -> dict:
    """The show as the screen, the desks and the audience see it: never an answer before it
    is revealed, never a hidden question. Built once per change and sent to every socket."""
    contest = LiveContest.objects.select_related("org").get(pk=contest_id)
    now = timezone.now()
    state = {
        "type": "state", "contest": contest.pk, "title": contest.title, "phase": contest.phase,
        "rehearsal": contest.rehearsal, "paused": contest.paused, "seq": contest.seq,
        "server_now": _ms(now), "deadline": _ms(contest.deadline), "remaining_ms": None,
        "scoreboard": ranking(contest=contest), "question": None, "round": None,
        "audience": audience_ranking(contest=contest),
    }
    if contest.deadline:
        state["remaining_ms"] = max(0, int((contest.deadline - now).total_seconds() * 1000))
    elif contest.paused:
        state["remaining_ms"] = contest.remaining_ms
    question = (LiveQuestion.objects.select_related("round", "question", "version", "team", "floor")
                .filter(pk=contest.current_id).first())
    # The next question in the run of show: who answers it and (风险题) the stake chosen;
    # never its stem.
    nxt = (LiveQuestion.objects.select_related("round", "team")
           .filter(round__contest=contest, state=QState.HIDDEN).first()) if contest.phase == Phase.LIVE else None
    state["upcoming"] = {"id": nxt.pk, "team": nxt.team.name if nxt.team else None, "team_id": nxt.team_id,
                         "risk_value": nxt.risk_value, "risk_values": nxt.round.risk_values} if nxt else None
    if question is None:
        if nxt is not None:
            state["round"] = _round(nxt.round)
        return state
    rnd = question.round
    state["round"] = _round(rnd)
    buzzes = list(Buzz.objects.filter(question=question).select_related("team").order_by("received_at", "seq"))
    state["question"] = {
        "id": question.pk, "number": question.position, "state": question.state,
        "type": question.question.type, "stem": question.version.stem,
        "options": _options(question.version, question.question.type),
        "team": question.team.name if question.team else None, "team_id": question.team_id,
        "floor": question.floor.name if question.floor else None, "floor_id": question.floor_id,
        "risk_value": question.risk_value,
        "buzzes": [{"team": b.team.name, "team_id": b.team_id, "foul": b.foul, "seq": b.seq} for b in buzzes],
        "answer": None, "explanation": None,
    }
    if question.state == QState.REVEALED:
        state["question"]["answer"] = question.version.answer
        state["question"]["explanation"] = question.version.explanation
    return state


def _round(rnd: Round) -> dict:
    return {"id": rnd.pk, "kind": rnd.kind, "kind_label": str(RoundKind(rnd.kind).label), "title": rnd.title,
            "seconds": rnd.seconds, "rules": rules_text(rnd), "risk_values": rnd.risk_values}


def host_extras(*, contest_id: int) -> dict:
    """What only the host and judges see: the answer in advance, the desks' typed answers and
    the run of show."""
    contest = LiveContest.objects.get(pk=contest_id)
    extras = {"answer": None, "team_answers": [], "run": []}
    if contest.current_id:
        current = LiveQuestion.objects.select_related("version").get(pk=contest.current_id)
        extras["answer"] = current.version.answer
        extras["team_answers"] = [{"team_id": a.team_id, "given": a.given}
                                  for a in TeamAnswer.objects.filter(question=current)]
    for q in LiveQuestion.objects.filter(round__contest=contest).select_related("round", "team", "version"):
        extras["run"].append({"id": q.pk, "round": q.round.title, "kind": q.round.kind, "number": q.position,
                              "team": q.team.name if q.team else "", "team_id": q.team_id, "state": q.state,
                              "risk_value": q.risk_value, "risk_values": q.round.risk_values,
                              "stem": q.version.stem[:60]})
    last = contest.score_events.filter(undone_at__isnull=True).select_related("team").order_by(
        "-created_at", "-id").first()
    extras["last_score"] = ({"team": last.team.name, "points": last.points, "kind": last.kind} if last else None)
    return extras


# -- after the show ----------------------------------------------------------------------


def team_records(*, contest: LiveContest) -> list[dict]:
    """Every scoring action, in order, undone ones marked."""
    return [{"time": timezone.localtime(e.created_at), "team": e.team.name,
             "round": e.question.round.title if e.question else "",
             "question": e.question.position if e.question else None, "kind": e.get_kind_display(),
             "points": e.points, "reason": e.reason, "undone": e.undone_at is not None}
            for e in ScoreEvent.objects.filter(contest=contest).select_related("team", "question__round")
            .order_by("created_at", "id")]


def contestants(*, contest: LiveContest) -> list[dict]:
    return [{"team": c.team.name, "team_id": c.team_id, "member": c.member, "org": c.member.org.name}
            for c in Contestant.objects.filter(team__contest=contest).select_related("team", "member__org")
            .order_by("team__position", "id")]


def run_of_show(*, contest: LiveContest):
    return (LiveQuestion.objects.filter(round__contest=contest)
            .select_related("round", "team", "version", "question"))
