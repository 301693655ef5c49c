"""Hand-written SQL for the daily submit: the one write every member makes every day.

Why raw SQL here, and only here in the quiz: at a city's evening peak the 2-core box must
take 800 submissions a second (issue #3), which leaves about 2.5 ms of CPU per submission,
PostgreSQL's share included. Through the ORM the submit was ~22 queries and ~45 ms of CPU,
half of it `bulk_update` building a CASE WHEN per field per item (docs/perf/quiz.md). Here:

- `attempt_read`: the attempt, its items, their questions' types and their versions' answers
  and texts (what grading and the result need), in one query, as plain rows;
- `attempt_claim`: the compare-and-set that makes a submission count once;
- `items_write`: the graded items in one UPDATE … FROM (VALUES …).

The statements run on PostgreSQL and on SQLite (≥ 3.33 for UPDATE … FROM). The dialects
differ only in how values come back (SQLite returns datetimes naive, booleans as integers)
and in the casts PostgreSQL needs for VALUES columns that arrive as text.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.db import connection
from django.utils.dateparse import parse_datetime

from dangshi.quiz.models import Attempt, AttemptItem, Question, QuestionVersion


@dataclass(slots=True)
class QuestionRow:
    type: str


@dataclass(slots=True)
class VersionRow:
    answer: list
    stem: str
    options: dict
    explanation: str
    source: str


@dataclass(slots=True)
class ItemRow:
    """An AttemptItem as the submit reads and grades it; shaped like the model (`.question.type`,
    `.version.answer`, …) so that the result selectors take either."""

    id: int
    question_id: int
    version_id: int
    position: int
    order: str
    served_at: datetime
    given: list | None
    answered_at: datetime | None
    question: QuestionRow
    version: VersionRow
    counted: bool = False
    correct: bool = False
    client_ms: int | None = None


@dataclass(slots=True)
class AttemptHead:
    id: int
    started_at: datetime
    submitted_at: datetime | None
    items: list[ItemRow] = field(default_factory=list)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _aware(value):
    """A datetime as the ORM would return it (aware, UTC) from either backend's raw row."""
    if value is None or isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str):
        value = parse_datetime(value)
    return value.replace(tzinfo=UTC)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _db_datetime(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def attempt_read(*, contest_id: int, member_id: int, day: date) -> AttemptHead | None:
    """The member's attempt of the day with its items in position order, or None."""
    order = connection.ops.quote_name("order")
    sql = f"""
        SELECT a.id, a.started_at, a.submitted_at,
               i.id, i.question_id, i.version_id, i.position, i.{order}, i.served_at, i.given, i.answered_at,
               q.type, v.answer, v.stem, v.options, v.explanation, v.source
        FROM {_table(Attempt)} a
        LEFT JOIN {_table(AttemptItem)} i ON i.attempt_id = a.id
        LEFT JOIN {_table(Question)} q ON q.id = i.question_id
        LEFT JOIN {_table(QuestionVersion)} v ON v.id = i.version_id
        WHERE a.contest_id = %s AND a.member_id = %s AND a.day = %s
        ORDER BY i.position
    """  # noqa: S608 - table names come from the models; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [contest_id, member_id, connection.ops.adapt_datefield_value(day)])
        rows = cursor.fetchall()
    if not rows:
        return None
    head = AttemptHead(id=rows[0][0], started_at=_aware(rows[0][1]), submitted_at=_aware(rows[0][2]))
    for r in rows:
        if r[3] is None:  # an attempt without items (LEFT JOIN): nothing to grade
            continue
        head.items.append(ItemRow(
            id=r[3], question_id=r[4], version_id=r[5], position=r[6], order=r[7], served_at=_aware(r[8]),
            given=_json(r[9]), answered_at=_aware(r[10]), question=QuestionRow(type=r[11]),
            version=VersionRow(answer=_json(r[12]), stem=r[13], options=_json(r[14]), explanation=r[15],
                               source=r[16]),
        ))
    return head


def attempt_claim(*, attempt_id: int, now: datetime, correct: int, total: int, time_ms: int, pattern: str) -> bool:
    """Compare-and-set: of concurrent submissions only the one that flips submitted_at from
    NULL goes on (the UPDATE takes the row lock; the others then see it set and match nothing)."""
    sql = f"""
        UPDATE {_table(Attempt)} SET submitted_at = %s, correct = %s, total = %s, time_ms = %s, pattern = %s
        WHERE id = %s AND submitted_at IS NULL
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [_db_datetime(now), correct, total, time_ms, pattern, attempt_id])
        return cursor.rowcount == 1


def items_write(items: list[ItemRow]) -> None:
    """Every graded item in one statement (in the caller's transaction, after `attempt_claim`).

    Five values per item, so that the default ten questions stay within the 50 parameters up
    to which psycopg caches a statement's parsing (above that it re-parses the SQL on every
    call, a tenth of the submit's CPU when measured). The sixth column, answered_at, needs no
    value: an answer first seen with the submission arrived when the attempt was submitted,
    which `attempt_claim` has just written on the attempt row."""
    if not items:
        return
    pg = connection.vendor == "postgresql"

    def cast(column: str, pg_type: str) -> str:
        # VALUES columns are typed from their literals; a NULL or JSON text needs the column's type.
        return f"v.{column}::{pg_type}" if pg else f"v.{column}"

    item_table, attempt_table = _table(AttemptItem), _table(Attempt)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(items))
    sql = f"""
        UPDATE {item_table} SET given = {cast("column2", "jsonb")},
            answered_at = CASE WHEN {item_table}.answered_at IS NULL AND v.column2 IS NOT NULL
                               THEN a.submitted_at ELSE {item_table}.answered_at END,
            counted = v.column3, correct = v.column4, client_ms = {cast("column5", "integer")}
        FROM (VALUES {values}) AS v, {attempt_table} a
        WHERE {item_table}.id = v.column1 AND a.id = {item_table}.attempt_id
    """  # noqa: S608 - table names come from the models; every value is a parameter
    params = []
    for i in items:
        params += [i.id, json.dumps(i.given) if i.given is not None else None, i.counted, i.correct, i.client_ms]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
