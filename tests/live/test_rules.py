"""The rules of the show, in the services: 必答 in turn, 抢答 ordering and fouls, 风险题 won
and lost, 加赛 between tied teams, judges' adjustments, undo, rehearsal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangshi.audit.models import AuditEvent
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.live import selectors, services
from dangshi.live.models import AudienceAnswer, Buzz, LiveContest, Phase, QState, RoundKind, ScoreEvent
from dangshi.quiz.selectors import bank_questions
from tests.live.conftest import build_show, questions, teams


def _start(show, rehearsal=False):
    return services.show_start(contest=show, rehearsal=rehearsal)


def _open(show, question, now=None):
    services.question_show(contest=show, question=question)
    return services.timer_start(contest=show, now=now)


def _scores(show):
    return [row["score"] for row in sorted(selectors.ranking(contest=show), key=lambda r: r["team_id"])]


def test_required_round_goes_round_the_desks_and_scores_the_team_in_turn(show):
    _start(show)
    required = questions(show, RoundKind.REQUIRED)
    assert [q.team for q in required] == teams(show)
    _open(show, required[0])
    services.answer_judge(contest=show, correct=True)
    services.answer_reveal(contest=show)
    _open(show, required[1])
    services.answer_judge(contest=show, correct=False)  # penalty 0 in this round
    assert _scores(show) == [10, 0, 0]


def test_questions_are_fixed_before_the_show(show):
    with pytest.raises(Conflict):
        services.round_questions_draw(round=show.rounds.first(), count=1)


def test_a_question_cannot_be_shown_while_the_current_one_awaits_judgement(show):
    _start(show)
    required = questions(show, RoundKind.REQUIRED)
    _open(show, required[0])
    with pytest.raises(Conflict):
        services.question_show(contest=show, question=required[1])


def test_first_valid_buzz_by_server_receive_time_gets_the_floor(show):
    _start(show)
    first = questions(show, RoundKind.BUZZ)[0]
    opened = timezone.now()
    _open(show, first, now=opened)
    red, spark, vanguard = teams(show)
    # Frames processed out of order: the one stamped earliest still wins.
    services.buzz_record(contest=show, team=spark, received_at=opened + timedelta(milliseconds=30))
    services.buzz_record(contest=show, team=vanguard, received_at=opened + timedelta(milliseconds=10))
    services.buzz_record(contest=show, team=red, received_at=opened + timedelta(milliseconds=20))
    first.refresh_from_db()
    assert first.state == QState.FLOOR and first.floor == vanguard
    services.answer_judge(contest=show, correct=True)
    assert selectors.team_scores(contest=show)[vanguard.pk] == 10


def test_buzzes_at_the_same_instant_go_by_sequence_number(show):
    _start(show)
    first = questions(show, RoundKind.BUZZ)[0]
    opened = timezone.now()
    _open(show, first, now=opened)
    red, spark, _ = teams(show)
    same = opened + timedelta(milliseconds=5)
    services.buzz_record(contest=show, team=spark, received_at=same)
    services.buzz_record(contest=show, team=red, received_at=same)
    first.refresh_from_db()
    assert first.floor == spark
    assert list(Buzz.objects.filter(question=first).values_list("team", flat=True)) == [spark.pk, red.pk]


def test_an_early_buzz_is_a_foul_and_costs_the_foul_penalty(show):
    _start(show)
    first = questions(show, RoundKind.BUZZ)[0]
    services.question_show(contest=show, question=first)
    red, spark, _ = teams(show)
    buzz = services.buzz_record(contest=show, team=red, received_at=timezone.now())
    assert buzz.foul
    assert selectors.team_scores(contest=show)[red.pk] == -5
    services.timer_start(contest=show)
    with pytest.raises(Conflict):  # one buzz per team and question: the foul was it
        services.buzz_record(contest=show, team=red, received_at=timezone.now())
    services.buzz_record(contest=show, team=spark, received_at=timezone.now())
    first.refresh_from_db()
    assert first.floor == spark
    assert AuditEvent.objects.filter(action="live.score.foul").count() == 1


def test_a_buzz_after_the_clock_ran_out_is_refused(show):
    _start(show)
    first = questions(show, RoundKind.BUZZ)[0]
    opened = timezone.now()
    _open(show, first, now=opened)
    with pytest.raises(Conflict):
        services.buzz_record(contest=show, team=teams(show)[0], received_at=opened + timedelta(seconds=21))


def test_a_wrong_buzz_answer_loses_the_rounds_penalty(show):
    _start(show)
    first = questions(show, RoundKind.BUZZ)[0]
    _open(show, first)
    red = teams(show)[0]
    services.buzz_record(contest=show, team=red, received_at=timezone.now())
    services.answer_judge(contest=show, correct=False)
    assert selectors.team_scores(contest=show)[red.pk] == -5


def test_risk_question_is_won_or_lost_by_the_chosen_value(show):
    _start(show)
    risk = questions(show, RoundKind.RISK)
    red, spark, _ = teams(show)
    with pytest.raises(Conflict):  # the value comes first
        services.question_show(contest=show, question=risk[0])
    with pytest.raises(Refused):
        services.risk_choose(contest=show, question=risk[0], team=spark, value=20)
    with pytest.raises(Invalid):
        services.risk_choose(contest=show, question=risk[0], team=red, value=25)
    services.risk_choose(contest=show, question=risk[0], team=red, value=30)
    _open(show, risk[0])
    services.answer_judge(contest=show, correct=True)
    services.risk_choose(contest=show, question=risk[1], team=spark, value=20)
    _open(show, risk[1])
    services.answer_judge(contest=show, correct=False)
    scores = selectors.team_scores(contest=show)
    assert scores[red.pk] == 30 and scores[spark.pk] == -20


def test_tiebreak_admits_only_the_tied_leaders_and_breaks_the_tie(show):
    _start(show)
    required = questions(show, RoundKind.REQUIRED)
    for q, correct in zip(required, (True, True, False), strict=True):
        _open(show, q)
        services.answer_judge(contest=show, correct=correct)
    red, spark, vanguard = teams(show)
    assert [r["place"] for r in selectors.ranking(contest=show)] == [1, 1, 3]
    tiebreak = questions(show, RoundKind.TIEBREAK)[0]
    _open(show, tiebreak)
    with pytest.raises(Refused):
        services.buzz_record(contest=show, team=vanguard, received_at=timezone.now())
    services.buzz_record(contest=show, team=spark, received_at=timezone.now())
    services.answer_judge(contest=show, correct=True)
    ranking = selectors.ranking(contest=show)
    assert [(r["team_id"], r["place"]) for r in ranking] == [(spark.pk, 1), (red.pk, 2), (vanguard.pk, 3)]


def test_judges_adjust_with_a_reason_and_it_is_audited(show, world):
    _start(show)
    red = teams(show)[0]
    with pytest.raises(Invalid):
        services.score_adjust(contest=show, team=red, points=5, reason="  ")
    services.score_adjust(contest=show, team=red, points=5, reason="复核:答案表述正确", actor=world.users["admin_a"])
    assert selectors.team_scores(contest=show)[red.pk] == 5
    event = AuditEvent.objects.get(action="live.score.adjust")
    assert event.data["reason"] == "复核:答案表述正确" and event.data["points"] == 5


def test_undo_takes_back_the_last_scoring_action_and_reopens_judgement(show):
    _start(show)
    first = questions(show, RoundKind.REQUIRED)[0]
    _open(show, first)
    services.answer_judge(contest=show, correct=True)
    red = teams(show)[0]
    assert selectors.team_scores(contest=show)[red.pk] == 10
    services.score_undo(contest=show)
    first.refresh_from_db()
    assert selectors.team_scores(contest=show)[red.pk] == 0
    assert first.state == QState.OPEN  # awaiting judgement again
    services.answer_judge(contest=show, correct=False)
    assert selectors.team_scores(contest=show)[red.pk] == 0
    assert AuditEvent.objects.filter(action="live.score.undone").count() == 1
    services.score_undo(contest=show)  # undoes the rejection, not the already-undone acceptance
    assert ScoreEvent.objects.filter(undone_at__isnull=True).count() == 0
    with pytest.raises(Conflict):
        services.score_undo(contest=show)


def test_every_scoring_action_is_audited(show):
    _start(show)
    first = questions(show, RoundKind.REQUIRED)[0]
    _open(show, first)
    services.answer_judge(contest=show, correct=True)
    assert AuditEvent.objects.filter(action="live.score.correct", data__points=10).exists()


def test_pause_freezes_the_clock_and_resume_gives_back_what_was_left(show):
    _start(show)
    first = questions(show, RoundKind.REQUIRED)[0]
    opened = timezone.now()
    _open(show, first, now=opened)
    services.pause_toggle(contest=show, now=opened + timedelta(seconds=5))
    contest = LiveContest.objects.get(pk=show.pk)
    assert contest.paused and contest.remaining_ms == 15000 and contest.deadline is None
    resumed = opened + timedelta(seconds=60)
    services.pause_toggle(contest=show, now=resumed)
    contest.refresh_from_db()
    assert contest.deadline == resumed + timedelta(seconds=15)


def test_rehearsal_leaves_no_results(show):
    _start(show, rehearsal=True)
    required = questions(show, RoundKind.REQUIRED)
    _open(show, required[0])
    services.audience_answer(contest=show, viewer="m1", name="观众", given=["A"], received_at=timezone.now())
    services.answer_judge(contest=show, correct=True)
    services.show_finish(contest=show)
    contest = LiveContest.objects.get(pk=show.pk)
    assert contest.phase == Phase.READY and not contest.rehearsal
    assert not ScoreEvent.objects.exists() and not AudienceAnswer.objects.exists() and not Buzz.objects.exists()
    assert set(contest.rounds.values_list("questions__state", flat=True)) == {QState.HIDDEN}
    with pytest.raises(Conflict):
        services.certificates_issue(contest=contest)


def test_a_hidden_question_never_reaches_the_screen_and_the_answer_only_when_revealed(show):
    _start(show)
    first = questions(show, RoundKind.REQUIRED)[0]
    state = selectors.show_state(contest_id=show.pk)
    assert state["question"] is None and "stem" not in str(state.get("upcoming"))
    _open(show, first)
    state = selectors.show_state(contest_id=show.pk)
    assert state["question"]["stem"] == first.version.stem and state["question"]["answer"] is None
    services.answer_judge(contest=show, correct=True)
    services.answer_reveal(contest=show)
    assert selectors.show_state(contest_id=show.pk)["question"]["answer"] == first.version.answer


def test_audience_answers_along_once_per_question_without_touching_the_teams(show):
    _start(show)
    first = questions(show, RoundKind.REQUIRED)[0]
    _open(show, first)
    right = first.version.answer
    services.audience_answer(contest=show, viewer="m1", name="张三", given=right, received_at=timezone.now())
    with pytest.raises(Conflict):
        services.audience_answer(contest=show, viewer="m1", name="张三", given=right, received_at=timezone.now())
    services.audience_answer(contest=show, viewer="m2", name="李四", given=["Z"], received_at=timezone.now())
    assert _scores(show) == [0, 0, 0]
    services.answer_judge(contest=show, correct=False)
    services.answer_reveal(contest=show)
    assert selectors.audience_own(contest=show, viewer="m1")["correct"] == 1
    top = selectors.audience_ranking(contest=show)
    assert [r["correct"] for r in top] == [1, 0] and top[0]["name"] != "张三"  # names masked


def test_a_show_needs_two_teams_and_questions(world, bank, campaign):
    contest = services.contest_create(org=world.branch_a, title="空竞赛")
    with pytest.raises(Conflict):
        services.contest_fix(contest=contest)


def test_members_of_another_subtree_cannot_be_contestants(world, bank, campaign):
    contest = services.contest_create(org=world.branch_a, title="竞赛")
    with pytest.raises(Invalid):
        services.team_add(contest=contest, name="外队", members=[world.members["member_c"]])


def test_questions_may_be_chosen_from_the_bank_by_id(world, bank, campaign):
    contest = build_show(world, fix=False)
    rnd = contest.rounds.get(kind=RoundKind.BUZZ)
    before = rnd.questions.count()
    pick = [q.pk for q in bank_questions(difficulty=2)[:2]]
    services.round_questions_choose(round=rnd, question_ids=pick)
    assert list(rnd.questions.order_by("position").values_list("question_id", flat=True))[before:] == pick
    with pytest.raises(Invalid):
        services.round_questions_choose(round=rnd, question_ids=[999999])
