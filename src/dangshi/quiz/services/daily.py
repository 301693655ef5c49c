"""Writes of the daily contest: contests, serving a member's questions, submitting them.

The server owns the clock: `served_at` is recorded when the questions are served, and the
question at position i must reach the server within (i + 1) × seconds_per_question + grace
of that moment (the member answers them one after another). The H5 page sends each answer
as it is given (`attempt_answer`, stamped on arrival); answers that first arrive with the
final submission are stamped with its time. A later answer does not count.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core.provenance import Verification, review_check
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.orgs.scope import Scope
from dangshi.quiz import submit_sql
from dangshi.quiz.grading import OPTION_KEYS, deadline, is_correct, understood
from dangshi.quiz.models import (
    Attempt,
    AttemptItem,
    Category,
    Certificate,
    Contest,
    ContestKind,
    ErrorReport,
    Question,
    QuestionType,
    QuestionVersion,
    Snapshot,
    Standing,
)
from dangshi.quiz.services.certificates import certificate_serial, certificates_zip
from dangshi.quiz.services.review import wrong_book_add

if TYPE_CHECKING:
    from dangshi.orgs.models import Campaign, Member, Org
from dangshi.quiz.selectors import servable_q

_rng = random.SystemRandom()


def contest_create(*, campaign: Campaign, org: Org, title: str, starts_on: date, ends_on: date,
                   kind: str = ContestKind.DAILY, questions_per_day: int = 10, seconds_per_question: int = 30,
                   prior_weight: int = 0, categories: list[Category] = (), top_n: int = 100, actor=None) -> Contest:
    if ends_on < starts_on:
        raise Invalid(_("结束日期不能早于开始日期。"), field="ends_on")
    if not 1 <= questions_per_day <= 50:
        raise Invalid(_("每日题数应在 1 到 50 之间。"), field="questions_per_day")
    if not 5 <= seconds_per_question <= 600:
        raise Invalid(_("每题限时应在 5 到 600 秒之间。"), field="seconds_per_question")
    with transaction.atomic():
        contest = Contest.objects.create(
            campaign=campaign, org=org, title=title, kind=kind, starts_on=starts_on, ends_on=ends_on,
            questions_per_day=questions_per_day, seconds_per_question=seconds_per_question,
            prior_weight=prior_weight, top_n=top_n,
        )
        contest.categories.set(categories)
        log_event("quiz.contest.created", actor=actor, obj=contest, data={"title": title, "kind": kind})
    return contest


# -- serving ------------------------------------------------------------------------


def draw_questions(*, contest: Contest, member: Member, n: int) -> list[tuple]:
    """n (question id, difficulty, version id, type) in the contest's difficulty mix, from its
    categories, questions the member has not seen first."""
    pool = Question.objects.filter(servable_q())
    category_ids = list(contest.categories.values_list("pk", flat=True))
    if category_ids:
        pool = pool.filter(category_id__in=category_ids)
    pool = list(pool.values_list("pk", "difficulty", "current_id", "type"))
    if len(pool) < n:
        raise Conflict(_("题库中的题目不足 %(n)d 道,请联系学习教育办公室。") % {"n": n})
    seen = set(AttemptItem.objects.filter(attempt__contest=contest, attempt__member=member)
               .values_list("question_id", flat=True))
    _rng.shuffle(pool)
    pool.sort(key=lambda q: q[0] in seen)  # stable: unseen first, shuffled within each group
    mix = {1: contest.mix_easy, 2: contest.mix_medium, 3: contest.mix_hard}
    total_mix = sum(mix.values()) or 1
    wanted = {d: round(n * pct / total_mix) for d, pct in mix.items()}
    chosen: list = []
    for d, count in wanted.items():
        chosen.extend([q for q in pool if q[1] == d][:count])
    chosen = chosen[:n]
    taken = {q[0] for q in chosen}
    chosen.extend([q for q in pool if q[0] not in taken][: n - len(chosen)])
    _rng.shuffle(chosen)
    return chosen


def _order_for(question_type: str, options: dict) -> str:
    if question_type not in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return ""
    keys = [k for k in OPTION_KEYS if k in options]
    _rng.shuffle(keys)
    return "".join(keys)


def attempt_start(*, contest: Contest, member: Member, now: datetime | None = None, ip: str | None = None,
                  device: str = "", actor=None) -> Attempt:
    """Today's attempt, served on the first call (the clock starts then); later calls return it unchanged."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    if contest.kind != ContestKind.DAILY:
        raise Invalid(_("该竞赛不是每日答题。"), field="contest")
    if not contest.starts_on <= day <= contest.ends_on:
        raise Conflict(_("今天不在答题活动时间内。"))
    if not member.active:
        raise Refused(_("只有在册党员可以参加答题。"))
    existing = Attempt.objects.filter(contest=contest, member=member, day=day).first()
    if existing is not None:
        return existing
    drawn = draw_questions(contest=contest, member=member, n=contest.questions_per_day)
    versions = QuestionVersion.objects.in_bulk([q[2] for q in drawn])
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(contest=contest, member=member, org_id=member.org_id, day=day,
                                             started_at=now, total=len(drawn), ip=ip, device=device[:64])
            AttemptItem.objects.bulk_create(
                AttemptItem(attempt=attempt, question_id=q[0], version_id=q[2], position=i, served_at=now,
                            order=_order_for(q[3], versions[q[2]].options))
                for i, q in enumerate(drawn)
            )
            log_event("quiz.attempt.started", actor=actor, obj=attempt, data={"day": day.isoformat()})
    except IntegrityError:
        # Two first calls raced: the once-a-day constraint kept one; serve that one.
        return Attempt.objects.get(contest=contest, member=member, day=day)
    return attempt


def _today_open_attempt(*, contest: Contest, member: Member, day: date) -> Attempt:
    attempt = Attempt.objects.filter(contest=contest, member=member, day=day).select_related("contest").first()
    if attempt is None:
        raise Invalid(_("请先领取今日题目。"), field="answers")
    attempt.member, attempt.org = member, member.org  # the event's readers use them: no refetch
    if attempt.submitted_at is not None:
        raise Conflict(_("今天已经提交过答卷,每天只计一次成绩。"))
    return attempt


def attempt_answer(*, contest: Contest, member: Member, question_id: int, given, now: datetime | None = None,
                   actor=None) -> AttemptItem:
    """Record one answer on arrival (the first answer to a question stands)."""
    now = now or timezone.now()
    attempt = _today_open_attempt(contest=contest, member=member, day=timezone.localdate(now))
    item = attempt.items.select_related("question").filter(question_id=question_id).first()
    if item is None:
        raise Invalid(_("该题不在今日题目中。"), field="question")
    value = understood(item=item, question_type=item.question.type, given=given)
    if value is None:
        raise Invalid(_("请作答后再提交。"), field="answer")
    with transaction.atomic():
        # Compare-and-set: a resent answer (double tap, retry) cannot replace the first one.
        if not AttemptItem.objects.filter(pk=item.pk, answered_at__isnull=True).update(given=value, answered_at=now):
            raise Conflict(_("该题已经作答。"))
        log_event("quiz.answer.recorded", actor=actor, obj=attempt, data={"position": item.position})
    item.given, item.answered_at = value, now
    return item


def attempt_submit(*, contest: Contest, member: Member, answers: dict, timings: dict | None = None,
                   now: datetime | None = None, actor=None) -> Attempt:
    """Grade today's attempt once. A second submission (or a concurrent duplicate) is a Conflict.

    The daily contest's hot path (issue #3): one read, grading in Python, then one transaction
    of single statements: the compare-and-set, the items, the month and season aggregates, the
    wrong-answer book, the audit event (and learning's points, through its subscriber). See
    `submit_sql` for why the first three are hand-written. `member.org` is read, not refetched.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    head = submit_sql.attempt_read(contest_id=contest.pk, member_id=member.pk, day=day)
    if head is None:
        raise Invalid(_("请先领取今日题目。"), field="answers")
    if head.submitted_at is not None:
        raise Conflict(_("今天已经提交过答卷,每天只计一次成绩。"))
    if not isinstance(answers, dict):
        raise Invalid(_("答案格式有误。"), field="answers")
    items = head.items
    correct = _grade(contest=contest, items=items, answers=answers,
                     timings=timings if isinstance(timings, dict) else {}, now=now)
    limit_ms = len(items) * contest.seconds_per_question * 1000
    time_ms = min(int((now - head.started_at).total_seconds() * 1000), limit_ms)
    attempt = Attempt(pk=head.id, contest=contest, member=member, org=member.org, day=day,
                      started_at=head.started_at, submitted_at=now, correct=correct, total=len(items),
                      time_ms=time_ms, pattern=_pattern(items))
    with transaction.atomic():
        if not submit_sql.attempt_claim(attempt_id=attempt.pk, now=now, correct=correct, total=len(items),
                                        time_ms=time_ms, pattern=attempt.pattern):
            raise Conflict(_("今天已经提交过答卷,每天只计一次成绩。"))
        submit_sql.items_write(items)
        standings_add(attempt=attempt, org_path=member.org.path)
        wrong_book_add(member=member, items=[i for i in items if not i.correct], now=now)
        log_event("quiz.attempt.finished", actor=actor, obj=attempt,
                  data={"correct": correct, "total": len(items), "day": day.isoformat()})
    attempt.graded_items = items
    return attempt


def _grade(*, contest: Contest, items: list, answers: dict, timings: dict, now: datetime) -> int:
    """Mark each item counted (in time) and correct, in place; returns the number correct.
    An answer recorded on arrival (`attempt_answer`) stands; the rest arrive now."""
    correct = 0
    for item in items:
        qtype, key = item.question.type, str(item.question_id)
        if item.answered_at is None:
            item.given = understood(item=item, question_type=qtype, given=answers.get(key))
            item.answered_at = now if item.given is not None else None
        item.counted = item.given is not None and item.answered_at <= deadline(contest=contest, item=item)
        item.correct = item.counted and is_correct(question_type=qtype, answer=item.version.answer, given=item.given)
        ms = timings.get(key)
        item.client_ms = int(ms) if isinstance(ms, int | float) and 0 <= ms < 3_600_000 else None
        correct += item.correct
    return correct


def error_report_create(*, member: Member, question_id: int, text: str, actor=None) -> ErrorReport:
    """答题纠错: only on a question the member was served."""
    item = (AttemptItem.objects.filter(attempt__member=member, question_id=question_id)
            .select_related("version").order_by("-served_at").first())
    if item is None:
        raise Invalid(_("只能对答过的题目纠错。"), field="question")
    text = text.strip()
    if not 2 <= len(text) <= 500:
        raise Invalid(_("请用 2 至 500 字说明错误之处。"), field="text")
    with transaction.atomic():
        report = ErrorReport.objects.create(question_id=question_id, version=item.version, member=member,
                                            org_id=member.org_id, text=text)
        log_event("quiz.error_report.created", actor=actor, obj=report, data={"question": question_id})
    return report


def error_report_resolve(*, report: ErrorReport, actor=None, note: str = "") -> None:
    """Close a 答题纠错 report, with what the reviewer did about it (optional)."""
    note = note.strip()[:500]
    with transaction.atomic():
        if not ErrorReport.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
                resolved_at=timezone.now(), resolution=note, resolved_by=actor if getattr(actor, "pk", None) else None):
            raise Conflict(_("该纠错已处理。"))
        log_event("quiz.error_report.resolved", actor=actor, obj=report, data={"question": report.question_id,
                                                                               "note": note})


def _pattern(items) -> str:
    """The per-question timing, in seconds, as the browser reported it: two members with the
    same long pattern are worth a look (never a verdict)."""
    ms = [i.client_ms for i in items]
    if len(ms) < 5 or any(m is None for m in ms):
        return ""
    return hashlib.sha256(",".join(str(m // 1000) for m in ms).encode()).hexdigest()[:32]


def standings_add(*, attempt: Attempt, org_path: str) -> None:
    """Add a submitted attempt to the member's month and season totals (in the caller's transaction).

    One INSERT … ON CONFLICT DO UPDATE (PostgreSQL and SQLite alike): the row lock it takes
    makes two submissions of the same member (two days', around midnight) add up, not overwrite.
    """
    table = Standing._meta.db_table
    last_at = Standing._meta.get_field("last_at").get_db_prep_value(attempt.submitted_at, connection)
    rows = [(attempt.contest_id, attempt.member_id, attempt.org_id, org_path, period, 1, attempt.total,
             attempt.correct, attempt.time_ms, last_at)
            for period in ("season", attempt.day.strftime("%Y-%m"))]
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    sql = f"""
        INSERT INTO {table} (contest_id, member_id, org_id, org_path, period, days, answered, correct, time_ms, last_at)
        VALUES {values}
        ON CONFLICT (contest_id, period, member_id) DO UPDATE SET
            days = {table}.days + excluded.days, answered = {table}.answered + excluded.answered,
            correct = {table}.correct + excluded.correct, time_ms = {table}.time_ms + excluded.time_ms,
            last_at = excluded.last_at, org_id = excluded.org_id, org_path = excluded.org_path
    """  # noqa: S608 - the table name comes from the model; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for row in rows for v in row])


# -- review of provenance (the console's 内容审核 queue) --------------------------------


def question_verify(*, scope: Scope, actor, question: Question, against: str, page: str = "", url: str = "",
                    passage: str = "", today: date | None = None) -> QuestionVersion:
    """Mark the question's current version 已核 (an edit makes a new version, 未核 again)."""
    if not scope.is_office:
        raise Refused(_("内容审核须由学习教育办公室操作。"))
    fields = review_check(against=against, page=page, url=url, passage=passage)
    with transaction.atomic():
        version = QuestionVersion.objects.select_for_update().get(pk=question.current_id)
        if version.verification == Verification.VERIFIED:
            raise Conflict(_("该内容已核,无须重复核对。"))
        for key, value in fields.items():
            setattr(version, key, value)
        version.verification = Verification.VERIFIED
        version.verified_by = (getattr(actor, "display_name", "") or getattr(actor, "username", ""))[:60]
        version.verified_at = today or timezone.localdate()
        version.review_note = ""
        version.save()
        log_event("quiz.question.verified", actor=actor, obj=question, data={"version": version.number,
                                                                             "against": version.verified_against})
    return version


def question_return(*, scope: Scope, actor, question: Question, note: str) -> None:
    """Return the current version with a note: not served until someone edits it."""
    if not scope.is_office:
        raise Refused(_("内容审核须由学习教育办公室操作。"))
    note = note.strip()
    if not 2 <= len(note) <= 500:
        raise Invalid(_("请用 2 至 500 字写明退回原因。"), field="note")
    with transaction.atomic():
        if not QuestionVersion.objects.filter(pk=question.current_id).exclude(
                verification=Verification.RETURNED).update(verification=Verification.RETURNED, review_note=note):
            raise Conflict(_("该内容已退回。"))
        log_event("quiz.question.returned", actor=actor, obj=question, data={"note": note})


# -- certificates of the live contest (dangshi.live) ------------------------------------


def live_certificates_issue(*, campaign: Campaign, org: Org, title: str, day: date,
                            winners: list[tuple[Member, int]], honour: str, actor=None) -> list[Certificate]:
    """Certificates for the winners of an on-stage contest, by the quiz's machinery (serials,
    PDF, /verify/<serial>): a one-day contest of kind 现场竞赛 holds them, and a frozen snapshot
    without rows stands for the show's final ranking, from which `winners` ((member, place)) come."""
    if not winners:
        raise Invalid(_("没有可颁发证书的获奖者。"))
    now = timezone.now()
    with transaction.atomic():
        contest = Contest.objects.create(campaign=campaign, org=org, title=title, kind=ContestKind.LIVE,
                                         starts_on=day, ends_on=day, top_n=len(winners))
        snap = Snapshot.objects.create(contest=contest, period="live", built_at=now, days_open=1, mu=0, frozen=True)
        certificates = Certificate.objects.bulk_create(
            Certificate(contest=contest, snapshot=snap, member=member, org_id=member.org_id,
                        serial=certificate_serial(contest), rank=place, title=honour, issued_at=now)
            for member, place in winners
        )
        log_event("quiz.live_certificates.issued", actor=actor, obj=contest, data={"certificates": len(certificates)})
    return certificates


def live_certificates(*, contest_id: int) -> list[Certificate]:
    return list(Certificate.objects.filter(contest_id=contest_id).select_related("member", "org", "contest__campaign",
                                                                                  "contest__org").order_by("rank", "id"))


def live_certificates_zip(*, contest_id: int, actor=None) -> bytes:
    certificates = live_certificates(contest_id=contest_id)
    if not certificates:
        raise Conflict(_("还没有颁发证书。"))
    return certificates_zip(contest=certificates[0].contest, certificates=certificates, actor=actor)
