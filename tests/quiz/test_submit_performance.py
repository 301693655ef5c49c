"""The daily submit's hot path (issue #3): a fixed, small number of statements, the same
results as before, and the ledger's rules kept by its two-statement award."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangshi.accounts.services import token_issue
from dangshi.audit.models import AuditEvent
from dangshi.learning.models import PointEntry, PointRule
from dangshi.quiz import selectors
from dangshi.quiz.models import Attempt, AttemptItem, Standing, WrongAnswer
from tests.quiz.test_daily import right_answers

# Authentication with the scope (1), today's attempt with its items and answers (1), then one
# transaction: BEGIN, the compare-and-set, the items, the aggregates, the wrong-answer book,
# the audit event, learning's rule-and-lock and its INSERT … SELECT, the points' audit event,
# COMMIT. The contest comes from the per-process cache.
SUBMIT_STATEMENTS = 12


@pytest.fixture
def today_contest(contest):
    """The fixture contest open today: these tests go through HTTP, on the server's clock."""
    today = timezone.localdate()
    contest.starts_on, contest.ends_on = today - timedelta(days=3), today + timedelta(days=3)
    contest.save()
    return contest


def _bearer(world, persona="member_a") -> dict:
    _token, key = token_issue(user=world.users[persona])
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _submit(client, auth, answers):
    return client.post("/api/v1/quiz/daily/submit", json.dumps({"answers": answers}),
                       content_type="application/json", **auth)


def test_a_submission_is_a_fixed_handful_of_statements(world, today_contest):
    member = world.members["member_a"]
    client, auth = world.client(None), _bearer(world)
    assert client.get("/api/v1/quiz/daily", **auth).status_code == 200  # serves; uses the token
    selectors.contest_for_member_cached_or_404(member=member)  # as any earlier submit of the branch
    answers = right_answers(Attempt.objects.get(member=member))
    answers.pop(next(iter(answers)))  # one unanswered: the wrong-answer book is written too
    with CaptureQueriesContext(connection) as queries:
        response = _submit(client, auth, answers)
    assert response.status_code == 200, response.content
    statements = [q["sql"] for q in queries.captured_queries if q["sql"] not in ("BEGIN", "BEGIN IMMEDIATE")]
    assert len(statements) == SUBMIT_STATEMENTS, "\n".join(statements)
    body = response.json()
    assert (body["correct"], body["total"], body["score"]) == (9, 10, 90)
    assert [q["correct"] for q in body["questions"]].count(False) == 1


def test_the_hot_path_writes_what_the_orm_path_wrote(world, today_contest):
    member = world.members["member_a"]
    client, auth = world.client(None), _bearer(world)
    client.get("/api/v1/quiz/daily", **auth)
    attempt = Attempt.objects.get(member=member)
    answers = right_answers(attempt)
    first = next(iter(answers))
    answers[first] = ["Z"] if isinstance(answers[first], list) else "不是答案"
    assert _submit(client, auth, answers).status_code == 200
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and (attempt.correct, attempt.total) == (9, 10)
    items = list(AttemptItem.objects.filter(attempt=attempt).select_related("question"))
    answered = [i for i in items if i.given is not None]  # "Z" is no option: that one stays unanswered
    assert len(answered) >= 9 and all(i.answered_at == attempt.submitted_at and i.counted for i in answered)
    assert sorted(i.correct for i in items) == [False] + [True] * 9
    wrong = next(i for i in items if not i.correct)
    assert WrongAnswer.objects.get(member=member).question_id == wrong.question_id == int(first)
    season = Standing.objects.get(member=member, period="season")
    assert (season.days, season.answered, season.correct) == (1, 10, 9)
    finished = AuditEvent.objects.get(action="quiz.attempt.finished")
    assert finished.actor == world.users["member_a"] and finished.object_id == str(attempt.pk)
    entry = PointEntry.objects.get(member=member)
    assert (entry.rule.code, entry.cause_type, entry.cause_id, entry.event_id) == (
        "quiz", "quiz.attempt", str(attempt.pk), finished.pk)
    awarded = AuditEvent.objects.get(action="learning.points.awarded")
    assert awarded.object_id == str(entry.pk) and awarded.data["points"] == entry.points
    assert client.post("/api/v1/quiz/daily/submit", json.dumps({"answers": {}}), content_type="application/json",
                       **auth).status_code == 409


def test_a_revoked_or_expired_token_is_refused(world, today_contest):
    from dangshi.accounts.models import ApiToken

    client, auth = world.client(None), _bearer(world)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/quiz/daily", **auth).status_code == 401
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now())
    assert client.get("/api/v1/quiz/daily", **auth).status_code == 401


def test_a_bearer_admin_keeps_the_scope_of_their_roles(world, today_contest):
    client, auth = world.client(None), _bearer(world, "admin_a")
    assert client.get("/api/v1/quiz/daily", **auth).status_code == 404  # not a member
    board = client.get("/api/v1/quiz/leaderboard?period=season", **auth)
    assert board.status_code == 200
    assert client.get("/api/v1/quiz/leaderboard?org=BRB&period=season", **auth).status_code == 404


def test_the_award_keeps_both_caps_in_one_statement(world, today_contest):
    """The INSERT … SELECT grants the rule's points, less what the day's and the total cap leave."""
    from dangshi.learning.services.reading import points_award

    PointRule.objects.filter(code="quiz").update(points=3, daily_cap=5, total_cap=7)
    member = world.members["member_a"]
    day1 = timezone.now()
    got = [points_award(member=member, rule_code="quiz", cause_type="t", cause_id=str(n), now=day1)
           for n in range(3)]
    assert [e.points if e else None for e in got] == [3, 2, None]  # the daily cap of 5
    got = [points_award(member=member, rule_code="quiz", cause_type="t", cause_id=str(n),
                        now=day1 + timedelta(days=1)) for n in range(3, 6)]
    assert [e.points if e else None for e in got] == [2, None, None]  # the total cap of 7
    assert points_award(member=member, rule_code="quiz", cause_type="t", cause_id="0",
                        now=day1 + timedelta(days=9)) is None  # a cause pays once
    assert sum(PointEntry.objects.filter(member=member).values_list("points", flat=True)) == 7
