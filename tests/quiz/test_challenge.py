"""挑战答题: a run ends at the first wrong or late answer (the server's clock), the best run
counts, nothing is told before the member answers, and one open run per member is the
database's rule."""

import json
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangshi.errors import Conflict, Invalid
from dangshi.quiz.models import ChallengeBest, ChallengeRun, ContestKind
from dangshi.quiz.selectors import displayed_answer
from dangshi.quiz.selectors.challenge import open_item
from dangshi.quiz.services import contest_create
from dangshi.quiz.services.bank import question_create
from dangshi.quiz.services.challenge import challenge_answer, challenge_start
from tests.quiz.conftest import at

DAY = date(2021, 7, 1)
T0 = at(DAY, 9)


def right(item):
    """What a member who knows the answer sends, in the keys they were shown."""
    shown = displayed_answer(item)
    return shown[0] if item.question.type == "fill" else shown


def wrong(item):
    if item.question.type == "fill":
        return "不知道"
    if item.question.type == "true_false":
        return ["错"] if displayed_answer(item) == ["对"] else ["对"]
    return [k for k in "ABCDEFGH" if k not in displayed_answer(item)][:1]


def make_challenge(contest_fixture_campaign, org, *, starts_on=date(2021, 3, 1), ends_on=date(2021, 12, 31), **kw):
    return contest_create(campaign=contest_fixture_campaign, org=org, title="党史知识挑战赛", kind=ContestKind.CHALLENGE,
                          starts_on=starts_on, ends_on=ends_on, **kw)


@pytest.fixture
def challenge(world, contest):
    """A challenge over the test district, 30 s a question plus 5 s of grace."""
    return make_challenge(contest.campaign, world.root)


@pytest.fixture
def open_challenge(world, contest):
    today = timezone.localdate()
    return make_challenge(contest.campaign, world.root, starts_on=today - timedelta(days=1),
                          ends_on=today + timedelta(days=30))


def play(run, answers, *, start=T0, step=10):
    """Answer the open questions in turn, `step` seconds after each is served; `answers` are
    functions of the item (right or wrong). Returns the last outcome."""
    when, done = start, None
    for answer in answers:
        item = open_item(ChallengeRun.objects.get(pk=run.pk))
        when = when + timedelta(seconds=step)
        done = challenge_answer(run=run, question_id=item.question_id, given=answer(item), now=when)
    return done


def test_a_run_ends_at_the_first_wrong_answer(world, challenge):
    member = world.members["member_a"]
    run = challenge_start(contest=challenge, member=member, now=T0)
    done = play(run, [right, right, right, wrong])
    assert not done.item.correct and done.next_item is None
    run.refresh_from_db()
    assert run.ended_at is not None and run.end_reason == "wrong" and run.correct == 3
    assert run.items.count() == 4  # nothing served after the wrong answer
    with pytest.raises(Conflict):
        challenge_answer(run=run, question_id=run.items.last().question_id, given="A", now=T0 + timedelta(minutes=2))
    best = ChallengeBest.objects.get(contest=challenge, member=member)
    assert (best.best, best.runs, best.time_ms) == (3, 1, 30_000)


def test_a_late_answer_ends_the_run_as_wrong_even_when_right(world, challenge):
    member = world.members["member_a"]
    run = challenge_start(contest=challenge, member=member, now=T0)
    # Question 1 answered after 35 s: the limit (30 s) plus the grace (5 s), still in time.
    first = play(run, [right], step=35)
    assert first.item.correct and not first.late
    # Question 2 was served with that verdict, at T0 + 35 s; its answer comes 36 s later: late.
    late = play(run, [right], start=T0 + timedelta(seconds=35), step=36)
    assert late.late and not late.item.correct
    run.refresh_from_db()
    assert run.end_reason == "late" and run.correct == 1


def test_a_run_left_on_the_clock_is_resumed_and_one_left_past_its_deadline_is_ended(world, challenge):
    member = world.members["member_a"]
    run = challenge_start(contest=challenge, member=member, now=T0)
    play(run, [right, right])
    assert challenge_start(contest=challenge, member=member, now=T0 + timedelta(seconds=40)) == run
    again = challenge_start(contest=challenge, member=member, now=T0 + timedelta(minutes=5))
    assert again != run
    run.refresh_from_db()
    assert run.end_reason == "late" and run.correct == 2
    assert ChallengeBest.objects.get(member=member).best == 2


def test_the_best_run_counts(world, challenge):
    member = world.members["member_a"]
    for n, start in ((2, T0), (4, T0 + timedelta(hours=1)), (1, T0 + timedelta(hours=2))):
        run = challenge_start(contest=challenge, member=member, now=start)
        play(run, [right] * n + [wrong], start=start)
    best = ChallengeBest.objects.get(contest=challenge, member=member)
    assert (best.best, best.runs) == (4, 3)
    assert best.run.correct == 4


def test_the_board_ranks_best_runs_in_the_org_asked(world, open_challenge):
    a, c = world.members["member_a"], world.members["member_c"]
    now = timezone.now()
    for member, lengths in ((a, (1, 3)), (c, (2,))):
        for n in lengths:
            play(challenge_start(contest=open_challenge, member=member, now=now), [right] * n + [wrong], start=now)
    board = world.client("office").get("/api/v1/quiz/challenge/board?org=ROOT").json()
    assert [(r["member"], r["best"], r["runs"]) for r in board["rows"]] == [("甲支部党员", 3, 2), ("丙支部党员", 2, 1)]
    branch = world.client("office").get("/api/v1/quiz/challenge/board?org=ST2").json()
    assert [r["best"] for r in branch["rows"]] == [2]
    mine = world.client("member_c").get("/api/v1/quiz/challenge/board?org=ROOT").json()
    assert mine["me"]["rank"] == 2 and mine["me"]["member"] == "丙支部党员"
    assert mine["rows"][0]["member"] != "甲支部党员"  # other members' names masked


def test_no_answer_is_sent_before_the_member_answers(world, open_challenge):
    client = world.client("member_a")
    start = client.post("/api/v1/quiz/challenge/start")
    assert start.status_code == 200, start.content
    body = start.json()
    assert set(body["question"]) == {"id", "type", "stem", "options"}
    for leak in ("answer", "explanation", "correct", "source"):
        assert leak not in start.content.decode()
    run = ChallengeRun.objects.get(pk=body["run"])
    item = open_item(run)
    reply = client.post(f"/api/v1/quiz/challenge/{run.pk}/answer",
                        json.dumps({"question": item.question_id, "answer": right(item)}), content_type="application/json")
    assert reply.status_code == 200, reply.content
    verdict = reply.json()
    assert verdict["correct"] and not verdict["ended"] and verdict["streak"] == 1
    assert verdict["explanation"] == item.version.explanation and verdict["answer"] == displayed_answer(item)
    nxt = open_item(run)
    assert verdict["next"] == {"id": nxt.question_id, "type": nxt.question.type, "stem": nxt.version.stem,
                               "options": verdict["next"]["options"]}
    assert set(verdict["next"]) == {"id", "type", "stem", "options"}
    for option in verdict["next"]["options"]:
        assert set(option) == {"key", "text"}
    if nxt.version.explanation:
        assert nxt.version.explanation not in reply.content.decode()
    end = client.post(f"/api/v1/quiz/challenge/{run.pk}/answer",
                      json.dumps({"question": nxt.question_id, "answer": wrong(nxt)}), content_type="application/json")
    assert end.json()["ended"] and end.json()["end_reason"] == "wrong" and end.json()["next"] is None
    assert end.json()["best"] == 1


def test_one_open_run_per_member_is_a_database_rule(world, challenge):
    run = challenge_start(contest=challenge, member=world.members["member_a"], now=T0)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChallengeRun.objects.create(contest=challenge, member=run.member, org=run.org, started_at=T0)
    ChallengeRun.objects.filter(pk=run.pk).update(ended_at=T0)
    ChallengeRun.objects.create(contest=challenge, member=run.member, org=run.org, started_at=T0)  # now allowed


def test_only_the_open_question_may_be_answered_and_an_empty_answer_is_wrong(world, challenge):
    run = challenge_start(contest=challenge, member=world.members["member_a"], now=T0)
    item = open_item(run)
    with pytest.raises(Invalid) as exc:
        challenge_answer(run=run, question_id=item.question_id + 100_000, given="A", now=T0)
    assert exc.value.field == "question"
    done = challenge_answer(run=run, question_id=item.question_id, given=[], now=T0 + timedelta(seconds=3))
    assert not done.item.correct and done.run.end_reason == "wrong"


def test_a_run_that_serves_every_question_ends_cleared(world, contest):
    from dangshi.quiz.models import Category

    for i in range(2):
        question_create(type="true_false", stem=f"挑战专用判断题{i}:中国共产党成立于1921年。", options={}, answer="对",
                        category="挑战/小题库")
    small = make_challenge(contest.campaign, world.root)
    small.categories.set([Category.objects.get(name="小题库")])
    run = challenge_start(contest=small, member=world.members["member_a"], now=T0)
    done = play(run, [right, right])
    assert done.next_item is None and done.run.end_reason == "cleared" and done.run.correct == 2


def test_the_member_plays_a_run_on_the_h5_pages(world, open_challenge):
    client = world.client("member_a")
    assert "开始挑战" in client.get("/quiz/challenge/").content.decode()
    started = client.post("/quiz/challenge/")
    run = ChallengeRun.objects.get(member=world.members["member_a"])
    assert started["Location"] == f"/quiz/challenge/{run.pk}/"
    page = client.get(started["Location"]).content.decode()
    assert 'id="challenge-form"' in page and "quiz/challenge.js" in page and "解析" not in page
    item = open_item(run)
    answer = right(item)
    client.post(f"/quiz/challenge/{run.pk}/", {"question": item.question_id,
                                              "answer": answer if isinstance(answer, list) else [answer]})
    page = client.get(f"/quiz/challenge/{run.pk}/").content.decode()
    assert "回答正确" in page and 'id="challenge-streak">1<' in page
    item = open_item(run)
    assert client.post(f"/quiz/challenge/{run.pk}/", {"question": item.question_id, "answer": wrong(item)}
                       )["Location"] == f"/quiz/challenge/{run.pk}/"
    assert client.get(f"/quiz/challenge/{run.pk}/")["Location"] == f"/quiz/challenge/{run.pk}/result/"
    result = client.get(f"/quiz/challenge/{run.pk}/result/").content.decode()
    assert 'id="challenge-result">1<' in result and "正确答案" in result
    assert 'id="challenge-best">1<' in client.get("/quiz/challenge/").content.decode()
    assert "我的排名:第 1 名" in client.get("/quiz/challenge/board/").content.decode()


def test_outsiders_are_refused_on_every_challenge_endpoint(world, open_challenge):
    run = challenge_start(contest=open_challenge, member=world.members["member_a"])
    item = open_item(run)
    body = json.dumps({"question": item.question_id, "answer": right(item)})
    for persona in ("member_c", "admin_b", "office", "outsider"):
        client = world.client(persona)
        assert client.post(f"/api/v1/quiz/challenge/{run.pk}/answer", body,
                           content_type="application/json").status_code == 404, persona
        assert client.get(f"/quiz/challenge/{run.pk}/").status_code == 404, persona
        assert client.get(f"/quiz/challenge/{run.pk}/result/").status_code == 404, persona
    for persona in ("office", "admin_b", "outsider"):
        assert world.client(persona).post("/api/v1/quiz/challenge/start").status_code == 404, persona
        assert world.client(persona).get("/quiz/challenge/").status_code == 404, persona
        assert world.client(persona).get("/quiz/challenge/board/").status_code == 404, persona  # members' page
    assert world.client("outsider").get("/api/v1/quiz/challenge/board").status_code == 404
    assert world.client("admin_b").get("/api/v1/quiz/challenge/board?org=BRA").status_code == 404
    assert world.client("member_c").get("/api/v1/quiz/challenge/board?org=BRA").status_code == 404
    assert world.client(None).post("/api/v1/quiz/challenge/start").status_code == 401
    assert open_item(run) == item  # nobody else's answer reached it


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_and_answers_leave_one_open_run_and_one_verdict(world, open_challenge):
    from tests.quiz.test_concurrency import _run_together

    member = world.members["member_a"]
    starts = _run_together(40, lambda: challenge_start(contest=open_challenge, member=member))
    assert {r.pk for r in starts if isinstance(r, ChallengeRun)} == {ChallengeRun.objects.get(member=member).pk}, starts
    run = ChallengeRun.objects.get(member=member)
    item = open_item(run)
    answer = right(item)
    replies = _run_together(40, lambda: challenge_answer(run=run, question_id=item.question_id, given=answer))
    graded = [r for r in replies if not isinstance(r, Exception)]
    assert len(graded) == 1 and all(isinstance(r, Invalid | Conflict) for r in replies if isinstance(r, Exception))
    run.refresh_from_db()
    assert run.correct == 1 and run.items.count() == 2
