"""挑战答题: questions one at a time until the first wrong answer; a member's best run counts.

The server owns the clock, as in the daily contest: each question's `served_at` is recorded
when it is served, and its answer must reach the server within seconds_per_question + grace
of that moment. A later answer ends the run as wrong ("late"); so does walking away (the run
is closed the next time the member opens it or starts another). The answers right in a row
before that are the run's result.

The next question is served with the verdict on the last one, so its clock starts then. Later
questions lean harder: easy ones first, medium from the 6th, hard from the 16th (as far as the
contest's categories have them). A run that has served every question in the pool ends "cleared".

A member has at most one open run (a partial unique constraint). Each run's end updates the
member's `ChallengeBest` for the contest in the same transaction, so boards never scan runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.quiz.grading import OPTION_KEYS, is_correct, understood
from dangshi.quiz.models import (
    ChallengeBest,
    ChallengeEnd,
    ChallengeItem,
    ChallengeRun,
    Contest,
    ContestKind,
    Question,
    QuestionType,
    QuestionVersion,
)
from dangshi.quiz.selectors.challenge import deadline, open_item
from dangshi.quiz.selectors.daily import servable_q

if TYPE_CHECKING:
    from dangshi.orgs.models import Member

_rng = random.SystemRandom()
# Positions from which the draw prefers medium (2) and hard (3) questions.
HARDER_FROM = ((15, 3), (5, 2), (0, 1))


@dataclass
class Answered:
    """The outcome of one answer: the graded item, whether it came late, and what follows."""

    run: ChallengeRun
    item: ChallengeItem
    late: bool
    next_item: ChallengeItem | None


def challenge_start(*, contest: Contest, member: Member, now: datetime | None = None, actor=None) -> ChallengeRun:
    """Start a run, serving its first question (its clock starts now). A member's open run that
    is still on the clock is returned as it is; one past its deadline is ended first."""
    now = now or timezone.now()
    if contest.kind != ContestKind.CHALLENGE:
        raise Invalid(_("该竞赛不是挑战答题。"), field="contest")
    if not contest.starts_on <= timezone.localdate(now) <= contest.ends_on:
        raise Conflict(_("现在不在挑战答题活动时间内。"))
    if not member.active:
        raise Refused(_("只有在册党员可以参加答题。"))
    try:
        with transaction.atomic():
            # Row lock: an answer to the open run arriving now waits, then finds the run ended.
            current = _lockable().filter(member=member, ended_at__isnull=True).first()
            if current is not None and not _expire_locked(run=current, now=now, actor=actor):
                return current
            run = ChallengeRun.objects.create(contest=contest, member=member, org_id=member.org_id, started_at=now)
            if _serve_next(run=run, now=now) is None:
                raise Conflict(_("题库中没有可用的题目,请联系学习教育办公室。"))
            log_event("quiz.challenge.started", actor=actor, obj=run, data={"contest": contest.pk})
    except IntegrityError:
        # Two starts raced: the one-open-run constraint kept one; return that one.
        return ChallengeRun.objects.select_related("contest").get(member=member, ended_at__isnull=True)
    return run


def challenge_answer(*, run: ChallengeRun, question_id: int, given, now: datetime | None = None,
                     actor=None) -> Answered:
    """Grade the answer to the run's open question. Right and in time: the next question is
    served. Wrong, empty or late: the run ends, and the best run is updated."""
    now = now or timezone.now()
    with transaction.atomic():
        # Row lock: a resent answer (double tap) or the run's expiry elsewhere waits here and
        # then finds the question answered or the run ended.
        run = _locked(run.pk)
        item = open_item(run)
        if item is None:
            raise Conflict(_("本轮挑战已经结束。"))
        if item.question_id != question_id:
            raise Invalid(_("只能回答当前这道题。"), field="question")
        late = now > deadline(contest=run.contest, item=item)
        item.given = understood(item=item, question_type=item.question.type, given=given)
        item.answered_at = now
        item.correct = not late and is_correct(question_type=item.question.type, answer=item.version.answer,
                                               given=item.given)
        item.save(update_fields=["given", "answered_at", "correct"])
        next_item = None
        if item.correct:
            run.correct += 1
            run.time_ms += int((now - item.served_at).total_seconds() * 1000)
            ChallengeRun.objects.filter(pk=run.pk).update(correct=run.correct, time_ms=run.time_ms)
            next_item = _serve_next(run=run, now=now)
            if next_item is None:
                _end_locked(run=run, reason=ChallengeEnd.CLEARED, now=now, actor=actor)
        else:
            _end_locked(run=run, reason=ChallengeEnd.LATE if late else ChallengeEnd.WRONG, now=now, actor=actor)
        log_event("quiz.challenge.answered", actor=actor, obj=run,
                  data={"position": item.position, "correct": item.correct, "late": late})
    return Answered(run=run, item=item, late=late, next_item=next_item)


def challenge_expire(*, run: ChallengeRun, now: datetime | None = None, actor=None) -> bool:
    """End the run if its open question is past the deadline (the member walked away)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(run.pk)
        ended = _expire_locked(run=locked, now=now, actor=actor)
    if ended:
        run.ended_at, run.end_reason = locked.ended_at, locked.end_reason
    return ended


def _lockable():
    """Runs read to be changed: only the run's own row is locked (`of`), never the contest's
    or the org's, which every other member's answers read too."""
    return ChallengeRun.objects.select_for_update(of=("self",)).select_related("contest", "member__org")


def _locked(run_id: int) -> ChallengeRun:
    return _lockable().get(pk=run_id)


def _expire_locked(*, run: ChallengeRun, now: datetime, actor) -> bool:
    """Called with the run row locked."""
    if run.ended_at is not None:
        return False
    item = open_item(run)
    if item is not None and now <= deadline(contest=run.contest, item=item):
        return False
    _end_locked(run=run, reason=ChallengeEnd.LATE, now=now, actor=actor)
    return True


def _serve_next(*, run: ChallengeRun, now: datetime) -> ChallengeItem | None:
    """Serve a question the run has not served yet (called with the run locked or just made)."""
    contest = run.contest
    pool = Question.objects.filter(servable_q()).exclude(
        pk__in=ChallengeItem.objects.filter(run=run).values("question_id"))
    category_ids = list(contest.categories.values_list("pk", flat=True))
    if category_ids:
        pool = pool.filter(category_id__in=category_ids)
    pool = list(pool.values_list("pk", "difficulty", "current_id", "type"))
    if not pool:
        return None
    position = ChallengeItem.objects.filter(run=run).count()
    wanted = next(d for start, d in HARDER_FROM if position >= start)
    preferred = [q for q in pool if q[1] == wanted]
    qid, _difficulty, version_id, qtype = _rng.choice(preferred or pool)
    version = QuestionVersion.objects.get(pk=version_id)
    order = ""
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        keys = [k for k in OPTION_KEYS if k in version.options]
        _rng.shuffle(keys)
        order = "".join(keys)
    item = ChallengeItem.objects.create(run=run, position=position, question_id=qid, version=version, order=order,
                                        served_at=now)
    return ChallengeItem.objects.select_related("question", "version").get(pk=item.pk)


def _end_locked(*, run: ChallengeRun, reason: str, now: datetime, actor) -> None:
    """End the run and keep the member's best (called with the run row locked).

    No race on the best row: a member has one open run, and every path that ends a run holds
    its lock, so one member's runs end one at a time."""
    ChallengeRun.objects.filter(pk=run.pk).update(ended_at=now, end_reason=reason)
    run.ended_at, run.end_reason = now, reason
    member = run.member
    best = ChallengeBest.objects.filter(contest_id=run.contest_id, member_id=member.pk).first()
    if best is None:
        ChallengeBest.objects.create(contest_id=run.contest_id, member_id=member.pk, org_id=member.org_id,
                                     org_path=member.org.path, run=run, best=run.correct, time_ms=run.time_ms,
                                     achieved_at=now, runs=1)
    else:
        best.runs += 1
        best.org_id, best.org_path = member.org_id, member.org.path
        if (run.correct, -run.time_ms) > (best.best, -best.time_ms):
            best.best, best.time_ms, best.achieved_at, best.run = run.correct, run.time_ms, now, run
        best.save()
    log_event("quiz.challenge.finished", actor=actor, obj=run, data={"correct": run.correct, "reason": reason})
