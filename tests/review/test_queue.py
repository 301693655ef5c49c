"""内容审核: marking 已核 with the page or URL checked, returning with a note, the default that
members see only 已核 fact content, the office's audited opt-in, and 答题纠错 resolved there."""

from datetime import date

import pytest

from dangshi.audit.models import AuditEvent
from dangshi.core.provenance import Verification
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.learning import selectors as learning_selectors
from dangshi.learning import services as learning_services
from dangshi.learning.models import ContentPolicy
from dangshi.orgs.scope import scope_for
from dangshi.quiz import services as quiz_services
from dangshi.quiz.models import AttemptItem, ErrorReport, Question
from dangshi.quiz.services.bank import question_create, question_edit
from tests.learning.conftest import T0, publish
from tests.quiz.conftest import at


@pytest.fixture
def story(world, cols):
    return publish(world, cols["stories"], "真理的味道非常甜", verified=False)


def _office(world):
    return scope_for(world.users["office"]), world.users["office"]


def _member_sees(world, item) -> bool:
    scope = scope_for(world.users["member_a"])
    return learning_selectors.items_visible(scope=scope, member=world.members["member_a"], now=T0).filter(
        pk=item.pk).exists()


def test_an_unverified_fact_item_is_not_shown_to_members_by_default(world, story):
    assert story.verification == Verification.UNVERIFIED
    assert not _member_sees(world, story)


def test_marking_an_item_verified_records_the_page_who_and_when_and_publishes_it(world, story):
    scope, office = _office(world)
    item = learning_services.item_verify(scope=scope, actor=office, item=story, page="23",
                                         against="《中国共产党简史》,人民出版社、中共党史出版社,2021年版",
                                         today=date(2021, 5, 10))
    assert (item.verification, item.source_page, item.verified_at) == (Verification.VERIFIED, "23", date(2021, 5, 10))
    assert item.verified_by == office.username and item.verified_against.startswith("《中国共产党简史》")
    assert AuditEvent.objects.filter(action="learning.item.verified", object_id=str(item.pk)).exists()
    assert _member_sees(world, item)


def test_verifying_needs_what_was_checked_and_a_page_or_url(world, story):
    scope, office = _office(world)
    with pytest.raises(Invalid) as missing_page:
        learning_services.item_verify(scope=scope, actor=office, item=story, against="《中国共产党简史》")
    assert missing_page.value.field == "page"
    with pytest.raises(Invalid) as bad_url:
        learning_services.item_verify(scope=scope, actor=office, item=story, against="人民网", url="dangshi.people.cn")
    assert bad_url.value.field == "url"


def test_a_returned_item_keeps_its_note_and_stays_hidden_even_when_unverified_content_is_published(world, story):
    scope, office = _office(world)
    learning_services.content_policy_set(scope=scope, actor=office, publish_unverified=True)
    assert _member_sees(world, story)
    item = learning_services.item_return(scope=scope, actor=office, item=story, note="出处只写了网站名,请补上原文网址")
    assert (item.verification, item.review_note) == (Verification.RETURNED, "出处只写了网站名,请补上原文网址")
    assert not _member_sees(world, item)
    with pytest.raises(Conflict):
        learning_services.item_return(scope=scope, actor=office, item=item, note="再退一次")


def test_publishing_unverified_content_is_the_offices_choice_and_is_audited(world, story):
    scope, office = _office(world)
    with pytest.raises(Refused):
        learning_services.content_policy_set(scope=scope_for(world.users["admin_a"]), actor=world.users["admin_a"],
                                             publish_unverified=True)
    learning_services.content_policy_set(scope=scope, actor=office, publish_unverified=True)
    assert ContentPolicy.objects.get(pk=1).publish_unverified
    assert AuditEvent.objects.filter(action="learning.policy.changed").count() == 1


def test_items_outside_the_fact_columns_need_no_review(world, cols):
    film = publish(world, cols["films"], "《建党伟业》", verified=False)
    assert _member_sees(world, film)


def test_an_org_admin_cannot_review(world, story):
    with pytest.raises(Refused):
        learning_services.item_verify(scope=scope_for(world.users["admin_a"]), actor=world.users["admin_a"],
                                      item=story, against="《中国共产党简史》", page="1")


def test_editing_a_verified_item_sends_it_back_to_review(world, cols):
    scope, office = _office(world)
    item = learning_services.item_create(scope=scope, actor=office, column=cols["stories"], org=world.root,
                                         title="焦裕禄的藤椅", body="<p>正文</p>")
    learning_services.item_verify(scope=scope, actor=office, item=item, against="人民网", url="https://example.org/a")
    item.refresh_from_db()
    item = learning_services.item_update(scope=scope, actor=office, item=item, body="<p>改过的正文</p>")
    assert item.verification == Verification.UNVERIFIED


# -- questions ------------------------------------------------------------------------


@pytest.fixture
def bank_unreviewed(contest):
    """The fixture bank, with the office's opt-in turned off again: the default."""
    ContentPolicy.objects.filter(pk=1).update(publish_unverified=False)
    return contest


def test_unverified_questions_are_not_served_by_default(world, bank_unreviewed):
    with pytest.raises(Conflict):
        quiz_services.draw_questions(contest=bank_unreviewed, member=world.members["member_a"], n=10)


def test_verified_questions_are_served_and_an_edit_needs_review_again(world, bank_unreviewed):
    scope, office = _office(world)
    for question in Question.objects.order_by("pk")[:10]:
        quiz_services.question_verify(scope=scope, actor=office, question=question, against="《中国共产党简史》",
                                      page="1")
    drawn = quiz_services.draw_questions(contest=bank_unreviewed, member=world.members["member_a"], n=10)
    assert {q[0] for q in drawn} == set(Question.objects.order_by("pk")[:10].values_list("pk", flat=True))
    first = Question.objects.order_by("pk").first()
    version = question_edit(question=first, stem=first.current.stem + "(修订)", options=first.current.options,
                            answer=first.current.answer, explanation="", actor=office)
    assert version.verification == Verification.UNVERIFIED
    with pytest.raises(Conflict):
        quiz_services.draw_questions(contest=bank_unreviewed, member=world.members["member_a"], n=10)


def test_a_returned_question_is_not_served_even_when_unverified_ones_are(world, contest):
    scope, office = _office(world)
    question = question_create(type="single", stem="测试:退回的题目?", options={"A": "甲", "B": "乙"}, answer="A")
    quiz_services.question_return(scope=scope, actor=office, question=question, note="选项有误")
    question.refresh_from_db()
    assert question.current.review_note == "选项有误"
    served = set()
    for name in ("member_a", "member_c"):
        served |= {q[0] for q in quiz_services.draw_questions(contest=contest, member=world.members[name], n=200)}
    assert question.pk not in served


# -- pages ------------------------------------------------------------------------------


def test_the_queue_shows_sources_and_status_and_marks_unverified_published_content(world, story):
    client = world.client("office")
    page = client.get("/review/").content.decode()
    mark = '">来源待核</span>'
    assert "真理的味道非常甜" in page and "未核" in page and mark not in page
    learning_services.content_policy_set(scope=scope_for(world.users["office"]), actor=world.users["office"],
                                         publish_unverified=True)
    assert mark in client.get("/review/").content.decode()


def test_the_office_marks_an_item_verified_and_returns_another_from_the_pages(world, cols, story):
    client = world.client("office")
    response = client.post(f"/review/items/{story.pk}/", {"decision": "verify", "against": "《中国共产党简史》2021年版",
                                                          "page": "15"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.verification, story.source_page) == (Verification.VERIFIED, "15")
    other = publish(world, cols["today"], "另一条", month=7, day=1, event_year=1921, verified=False)
    client.post(f"/review/items/{other.pk}/", {"decision": "return", "note": "日期待查"})
    other.refresh_from_db()
    assert (other.verification, other.review_note) == (Verification.RETURNED, "日期待查")


def test_a_failed_verification_keeps_what_was_typed(world, story):
    page = world.client("office").post(f"/review/items/{story.pk}/", {"against": "我核对过的版本"}).content.decode()
    assert "我核对过的版本" in page and 'aria-invalid="true"' in page


def test_a_members_error_report_is_resolved_from_the_queue(world, contest):
    client = world.client("member_a")
    quiz_services.attempt_start(contest=contest, member=world.members["member_a"], now=at(date(2021, 7, 1)))
    served = AttemptItem.objects.filter(attempt__member=world.members["member_a"]).first()
    assert client.post(f"/quiz/questions/{served.question_id}/report/", {"text": "答案有误,请核实"}).status_code == 302
    report = ErrorReport.objects.get()
    office = world.client("office")
    assert "答案有误,请核实" in office.get("/review/?tab=reports").content.decode()
    assert office.post(f"/review/reports/{report.pk}/resolve/", {"note": "已核原书,答案无误"}).status_code == 302
    report.refresh_from_db()
    assert report.resolved_at and report.resolution == "已核原书,答案无误"
    assert report.resolved_by == world.users["office"]


@pytest.mark.parametrize("persona", ["admin_a", "member_a", "outsider"])
def test_nobody_but_the_office_reaches_the_queue(world, story, persona):
    client = world.client(persona)
    assert client.get("/review/").status_code == 404
    assert client.get(f"/review/items/{story.pk}/").status_code == 404
    assert client.post(f"/review/items/{story.pk}/", {"against": "x", "page": "1"}).status_code == 404
    assert client.post("/review/policy/", {"publish_unverified": "on"}).status_code == 404
    story.refresh_from_db()
    assert story.verification == Verification.UNVERIFIED


def test_the_editor_states_the_source_in_the_console_and_a_bad_url_is_refused(world, cols):
    scope, office = _office(world)
    item = learning_services.item_create(scope=scope, actor=office, column=cols["stories"], org=world.root,
                                         title="一床被子", body="<p>正文</p>")
    form = {"title": "一床被子", "body": "<p>正文</p>", "source_title": "《中国共产党简史》",
            "source_publisher": "人民出版社、中共党史出版社", "source_edition": "2021", "source_chapter": "第三章"}
    client = world.client("office")
    assert client.post(f"/learning/console/items/{item.pk}/", form).status_code == 302
    item.refresh_from_db()
    assert (item.source_title, item.source_edition, item.source_chapter) == ("《中国共产党简史》", "2021", "第三章")
    assert item.verification == Verification.UNVERIFIED
    with pytest.raises(Invalid) as bad:
        learning_services.item_update(scope=scope, actor=office, item=item, source_url="dangshi.people.cn")
    assert bad.value.field == "source_url"
