import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangshi.errors import Conflict
from dangshi.quiz.models import Attempt, AttemptItem, Standing
from dangshi.quiz.selectors import attempt_result, displayed_answer
from dangshi.quiz.services import attempt_answer, attempt_start, attempt_submit
from dangshi.quiz.services.bank import question_edit
from tests.quiz.conftest import at

DAY = date(2021, 7, 1)


def right_answers(attempt) -> dict:
    """What a member who knows everything would send, in the keys they were shown."""
    out = {}
    for item in attempt.items.select_related("version", "question"):
        shown = displayed_answer(item)
        out[str(item.question_id)] = shown[0] if item.question.type == "fill" else shown
    return out


@pytest.fixture
def today_contest(contest):
    """The fixture contest stretched over today, for the HTTP tests (the server's own clock)."""
    today = timezone.localdate()
    contest.starts_on, contest.ends_on = today - timedelta(days=3), today + timedelta(days=3)
    contest.save()
    return contest


def test_member_gets_ten_questions_without_answers_then_submits_once(world, today_contest):
    client = world.client("member_a")
    response = client.get("/api/v1/quiz/daily")
    assert response.status_code == 200
    body = response.json()
    assert len(body["questions"]) == 10 and body["seconds_per_question"] == 30
    raw = response.content.decode()
    for leak in ("answer", "explanation", "correct", "source"):
        assert leak not in raw
    for q in body["questions"]:
        assert set(q) == {"id", "type", "stem", "options"}
    attempt = Attempt.objects.get(member=world.members["member_a"])
    answers = right_answers(attempt)
    first = client.post("/api/v1/quiz/daily/submit", json.dumps({"answers": answers}), content_type="application/json")
    assert first.status_code == 200, first.content
    assert first.json()["correct"] == 10 and first.json()["score"] == 100
    assert all(q["explanation"] is not None and q["correct"] for q in first.json()["questions"])
    second = client.post("/api/v1/quiz/daily/submit", json.dumps({"answers": answers}), content_type="application/json")
    assert second.status_code == 409
    assert Attempt.objects.filter(member=world.members["member_a"]).count() == 1


def test_the_first_call_starts_the_attempt_and_later_calls_serve_the_same_questions(world, today_contest):
    client = world.client("member_a")
    first = client.get("/api/v1/quiz/daily").json()
    again = client.get("/api/v1/quiz/daily").json()
    assert first == again


def test_one_attempt_per_member_per_day_is_a_database_rule(world, contest):
    from django.db import IntegrityError, transaction

    attempt = attempt_start(contest=contest, member=world.members["member_a"], now=at(DAY))
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(contest=contest, member=attempt.member, org=attempt.org, day=DAY, started_at=at(DAY))


def test_a_late_answer_does_not_count(world, contest):
    member = world.members["member_a"]
    attempt = attempt_start(contest=contest, member=member, now=at(DAY))
    answers = right_answers(attempt)
    # Question i must arrive within (i + 1) × 30 s + 5 s of serving. The first two answers are
    # sent as given (at 20 s and 50 s); the rest arrive with the submission at 3 min 30 s,
    # too late for questions 3–6 (deadlines 95 s … 185 s), in time for 7–10 (215 s …).
    first, second = attempt.items.order_by("position")[:2]
    attempt_answer(contest=contest, member=member, question_id=first.question_id,
                   given=answers.pop(str(first.question_id)), now=at(DAY, 9, 0, 20))
    attempt_answer(contest=contest, member=member, question_id=second.question_id,
                   given=answers.pop(str(second.question_id)), now=at(DAY, 9, 0, 50))
    done = attempt_submit(contest=contest, member=member, answers=answers, now=at(DAY, 9, 3, 30))
    items = list(AttemptItem.objects.filter(attempt=attempt).order_by("position"))
    assert [i.counted for i in items] == [True] * 2 + [False] * 4 + [True] * 4
    assert done.correct == 6 and done.total == 10


def test_a_recorded_answer_cannot_be_replaced(world, contest):
    member = world.members["member_a"]
    attempt = attempt_start(contest=contest, member=member, now=at(DAY))
    item = attempt.items.first()
    answer = right_answers(attempt)[str(item.question_id)]
    attempt_answer(contest=contest, member=member, question_id=item.question_id, given=answer, now=at(DAY, 9, 0, 5))
    with pytest.raises(Conflict):
        attempt_answer(contest=contest, member=member, question_id=item.question_id, given=answer, now=at(DAY, 9, 0, 6))


def test_options_are_shuffled_per_member_and_mapped_back(world, contest):
    orders = set()
    for name in ("member_a", "member_c"):
        attempt = attempt_start(contest=contest, member=world.members[name], now=at(DAY))
        orders.update(i.order for i in attempt.items.all() if i.order)
        done = attempt_submit(contest=contest, member=world.members[name], answers=right_answers(attempt),
                              now=at(DAY, 9, 0, 30))
        assert done.correct == 10
    assert any(o not in ("ABCD", "ABC", "AB") for o in orders)


def test_wrong_and_missing_answers_score_zero(world, contest):
    member = world.members["member_a"]
    attempt_start(contest=contest, member=member, now=at(DAY))
    done = attempt_submit(contest=contest, member=member, answers={}, now=at(DAY, 9, 1))
    assert done.correct == 0
    assert Standing.objects.get(member=member, period="season").answered == 10


def test_editing_a_question_never_changes_a_past_attempt(world, contest):
    member = world.members["member_a"]
    attempt = attempt_start(contest=contest, member=member, now=at(DAY))
    attempt_submit(contest=contest, member=member, answers=right_answers(attempt), now=at(DAY, 9, 0, 30))
    item = attempt.items.select_related("question", "version").first()
    old_stem = item.version.stem
    question_edit(question=item.question, stem=old_stem + "(修订)", options=item.version.options,
                  answer=item.version.answer, explanation="新解析")
    result = attempt_result(attempt=Attempt.objects.get(pk=attempt.pk))
    assert result["questions"][0]["stem"] == old_stem and result["correct"] == 10


def test_submitting_twice_through_the_service_is_a_conflict(world, contest):
    member = world.members["member_a"]
    attempt_start(contest=contest, member=member, now=at(DAY))
    attempt_submit(contest=contest, member=member, answers={}, now=at(DAY, 9, 1))
    with pytest.raises(Conflict):
        attempt_submit(contest=contest, member=member, answers={}, now=at(DAY, 9, 2))


def test_the_days_answers_are_public_only_after_the_day_closes(world, today_contest):
    client = world.client("member_a")
    client.get("/api/v1/quiz/daily")
    client.post("/api/v1/quiz/daily/submit", json.dumps({"answers": {}}), content_type="application/json")
    today = timezone.localdate().isoformat()
    assert client.get(f"/api/v1/quiz/daily/answers?day={today}").status_code == 403


def test_only_members_take_the_quiz(world, today_contest):
    for persona in ("office", "outsider"):
        assert world.client(persona).get("/api/v1/quiz/daily").status_code == 404
        response = world.client(persona).post("/api/v1/quiz/daily/submit", json.dumps({"answers": {}}),
                                              content_type="application/json")
        assert response.status_code == 404
    assert world.client(None).get("/api/v1/quiz/daily").status_code == 401
