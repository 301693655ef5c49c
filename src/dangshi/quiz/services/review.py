"""The wrong-answer book (错题本): questions a member got wrong, reviewed on the FSRS schedule.

Review is practice: it never changes an attempt, a standing or a ranking.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from fsrs import Card, Rating, Scheduler

from dangshi.audit.services import log_event
from dangshi.errors import Invalid
from dangshi.quiz.grading import is_correct
from dangshi.quiz.models import WrongAnswer

if TYPE_CHECKING:
    from dangshi.orgs.models import Member

_scheduler = Scheduler(enable_fuzzing=False)


def wrong_book_add(*, member: Member, items, now: datetime) -> None:
    """Put wrongly answered items in the book (in the caller's transaction); a question already
    there counts one more mistake and starts its schedule again. One upsert statement."""
    if not items:
        return
    by_question = {i.question_id: i for i in items}
    card = json.dumps(Card(due=now).to_dict())
    table = WrongAnswer._meta.db_table
    values = ", ".join(["(%s, %s, %s, 1, %s, %s)"] * len(by_question))
    sql = f"""
        INSERT INTO {table} (member_id, question_id, version_id, wrong_count, card, due) VALUES {values}
        ON CONFLICT (member_id, question_id) DO UPDATE SET
            wrong_count = {table}.wrong_count + 1, card = excluded.card, due = excluded.due,
            version_id = excluded.version_id
    """  # noqa: S608 - the table name comes from the model; every value is a parameter
    due = WrongAnswer._meta.get_field("due").get_db_prep_value(now, connection)  # as the ORM would store it
    params = [v for qid, i in by_question.items() for v in (member.pk, qid, i.version_id, card, due)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def review_answer(*, wrong: WrongAnswer, given, now: datetime | None = None, actor=None) -> bool:
    """Grade one review against the question's current version and reschedule it. Returns correctness."""
    now = now or timezone.now()
    question = wrong.question
    version = question.current
    if given in (None, "", []):
        raise Invalid(_("请作答后再提交。"), field="answer")
    if question.type == "fill":
        given_keys = [str(given)]
    else:
        given_keys = sorted({str(g).strip().upper() if question.type != "true_false" else str(g) for g in
                             (given if isinstance(given, list) else [given])})
    ok = is_correct(question_type=question.type, answer=version.answer, given=given_keys)
    card, _log = _scheduler.review_card(Card.from_dict(wrong.card), Rating.Good if ok else Rating.Again, now)
    with transaction.atomic():
        WrongAnswer.objects.filter(pk=wrong.pk).update(card=card.to_dict(), due=card.due, version=version)
        log_event("quiz.review.answered", actor=actor, obj=wrong, org=wrong.member.org, data={"correct": ok})
    return ok
