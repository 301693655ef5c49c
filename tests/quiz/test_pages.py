"""The member H5 and console pages, through the test client."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook

from dangshi.quiz.models import Attempt, ErrorReport, Question, WrongAnswer
from tests.quiz.test_daily import right_answers


@pytest.fixture
def open_contest(contest):
    today = timezone.localdate()
    contest.starts_on, contest.ends_on = today - timedelta(days=3), today + timedelta(days=3)
    contest.save()
    return contest


def test_member_starts_answers_and_sees_the_result_with_explanations(world, open_contest):
    client = world.client("member_a")
    intro = client.get("/quiz/")
    assert intro.status_code == 200 and "开始答题" in intro.content.decode()
    client.post("/quiz/")
    page = client.get("/quiz/").content.decode()
    assert 'id="quiz-form"' in page and "quiz/daily.js" in page and "解析" not in page
    attempt = Attempt.objects.get(member=world.members["member_a"])
    answers = right_answers(attempt)
    form = {f"q{qid}": value for qid, value in answers.items()}
    form["timings"] = "{}"
    assert client.post("/quiz/submit/", form).status_code == 302
    result = client.get("/quiz/result/").content.decode()
    assert "答对 10 / 10 题" in result and "解析" in result
    assert client.get("/quiz/").status_code == 302  # done for today: back to the result


def test_member_reports_an_error_on_a_question_they_answered(world, open_contest):
    client = world.client("member_a")
    client.post("/quiz/")
    attempt = Attempt.objects.get(member=world.members["member_a"])
    client.post("/quiz/submit/", {})
    qid = attempt.items.first().question_id
    client.post(f"/quiz/questions/{qid}/report/", {"text": "答案有误,请核实"})
    assert ErrorReport.objects.filter(question_id=qid).count() == 1
    other = Question.objects.exclude(pk__in=attempt.items.values("question_id")).first()
    world.client("member_c").post(f"/quiz/questions/{other.pk}/report/", {"text": "乱报一条"})
    assert not ErrorReport.objects.filter(question=other).exists()


def test_wrong_answers_land_in_the_book_and_review_reschedules_without_touching_scores(world, open_contest):
    client = world.client("member_a")
    client.post("/quiz/")
    client.post("/quiz/submit/", {})
    book = WrongAnswer.objects.filter(member=world.members["member_a"])
    assert book.count() == 10
    wrong = book.select_related("question__current").first()
    assert "今天该复习(10)" in client.get("/quiz/wrong/").content.decode()
    answer = wrong.question.current.answer
    client.post(f"/quiz/wrong/{wrong.pk}/", {"answer": answer if wrong.question.type != "fill" else answer[0]})
    wrong.refresh_from_db()
    assert wrong.due > timezone.now()
    assert Attempt.objects.get(member=world.members["member_a"]).correct == 0
    assert world.client("member_c").get(f"/quiz/wrong/{wrong.pk}/").status_code == 404


def test_my_rank_page_states_the_formula(world, open_contest):
    page = world.client("member_a").get("/quiz/rank/").content.decode()
    assert "A × P" in page and "贝叶斯" in page


def test_console_pages_answer_the_office(world, open_contest):
    client = world.client("office")
    for url in ("/quiz/console/", "/quiz/console/contests/", "/quiz/console/rankings/", "/quiz/console/anticheat/",
                "/quiz/console/selection/", "/quiz/console/import/"):
        assert client.get(url).status_code == 200, url
    assert "A × P" in client.get("/quiz/console/rankings/").content.decode()
    for url in ("/quiz/console/", "/quiz/console/anticheat/", "/quiz/console/selection/"):
        assert world.client("admin_a").get(url).status_code == 404


def test_console_upload_reports_the_bad_row_and_imports_nothing(world, db):
    wb = Workbook()
    ws = wb.active
    ws.append(["题型", "题干", "选项A", "选项B", "答案"])
    ws.append(["单选", "一道好题?", "甲", "乙", "A"])
    ws.append(["单选", "一道坏题?", "甲", "乙", "C"])
    data = io.BytesIO()
    wb.save(data)
    data.seek(0)
    data.name = "bank.xlsx"
    response = world.client("office").post("/quiz/console/import/", {"file": data})
    body = response.content.decode()
    assert response.status_code == 200 and "答案 C 不在选项中" in body
    assert Question.objects.count() == 0


def test_editing_in_the_console_makes_a_new_version(world, bank):
    question = Question.objects.filter(type="single").first()
    current = question.current
    form = {"stem": current.stem + "?", "answer": "".join(current.answer), "explanation": "更新的解析",
            **{f"opt_{k}": v for k, v in current.options.items()}}
    assert world.client("office").post(f"/quiz/console/questions/{question.pk}/", form).status_code == 302
    question.refresh_from_db()
    assert question.current.number == 2 and question.versions.count() == 2
