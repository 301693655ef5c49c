"""Reads of 挑战答题 (see services/challenge.py for the rules of a run): the contest covering an
org, a member's runs and best run, what is served (never the answer before it is given), and
the board of best runs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.quiz.grading import OPTION_KEYS
from dangshi.quiz.models import ChallengeBest, ChallengeItem, ChallengeRun, Contest, ContestKind, QuestionType
from dangshi.quiz.selectors import daily
from dangshi.quiz.selectors.daily import displayed_answer, served_options

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org


def contest_for_org(*, org: Org, day: date | None = None) -> Contest | None:
    """The open challenge contest covering the org: hosted by the org or one above it."""
    return daily.contest_for_org(org=org, day=day, kind=ContestKind.CHALLENGE)


def contest_for_member_or_404(*, member: Member, day: date | None = None) -> Contest:
    contest = contest_for_org(org=member.org, day=day)
    if contest is None:
        raise Http404(_("现在没有进行中的挑战答题。"))
    return contest


def latest_contest_for_org(*, org: Org) -> Contest | None:
    """The newest challenge contest covering the org, open or not (for boards after the close)."""
    return daily.contest_for_org(org=org, open_only=False, kind=ContestKind.CHALLENGE)


def run_or_404(*, member: Member, run_id: int) -> ChallengeRun:
    """One of the member's own runs; anyone else's is 404."""
    run = ChallengeRun.objects.filter(pk=run_id, member=member).select_related("contest").first()
    if run is None:
        raise Http404(_("未找到该轮挑战。"))
    return run


def open_item(run: ChallengeRun) -> ChallengeItem | None:
    """The question on the clock: served, not yet answered (none once the run has ended)."""
    if run.ended_at is not None:
        return None
    return run.items.filter(answered_at__isnull=True).select_related("question", "version").first()


def last_answered(run: ChallengeRun) -> ChallengeItem | None:
    return (run.items.filter(answered_at__isnull=False).select_related("question", "version")
            .order_by("-position").first())


def deadline(*, contest: Contest, item: ChallengeItem) -> datetime:
    return item.served_at + timedelta(seconds=contest.seconds_per_question + contest.grace_seconds)


def seconds_left(*, contest: Contest, item: ChallengeItem, now: datetime | None = None) -> int:
    """What the page's countdown shows: the limit less the time since serving (not the grace)."""
    spent = ((now or timezone.now()) - item.served_at).total_seconds()
    return max(0, int(contest.seconds_per_question - spent))


def question_payload(item: ChallengeItem) -> dict:
    """What the member is served: no answer, no explanation."""
    return {"id": item.question_id, "type": item.question.type, "stem": item.version.stem,
            "options": served_options(item)}


def verdict_payload(item: ChallengeItem, *, late: bool = False) -> dict:
    """After the member answered this question only: right or wrong, its answer and explanation."""
    return {"question": item.question_id, "stem": item.version.stem, "correct": item.correct, "late": late,
            "answer": displayed_answer(item), "given": _displayed_given(item),
            "explanation": item.version.explanation, "source": item.version.source}


def _displayed_given(item: ChallengeItem) -> list[str]:
    if not item.given:
        return []
    if item.question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return sorted(OPTION_KEYS[item.order.index(k)] for k in item.given if k in item.order)
    return list(item.given)


def best_of(*, contest: Contest, member: Member) -> ChallengeBest | None:
    return ChallengeBest.objects.filter(contest=contest, member=member).first()


def recent_runs(*, contest: Contest, member: Member, limit: int = 10):
    return ChallengeRun.objects.filter(contest=contest, member=member).order_by("-started_at")[:limit]


BOARD_ORDER = ["-best", "time_ms", "achieved_at", "member_id"]


def board(*, contest: Contest, org: Org, limit: int = 100, me: Member | None = None) -> dict:
    """Best runs of the members of the org's subtree, ranked: longer run first, then less
    time, then the earlier; and `me` (the member's own row and rank, wherever it falls)."""
    qs = ChallengeBest.objects.filter(contest=contest, org_path__startswith=org.path)
    rows = [_board_row(b, rank) for rank, b in
            enumerate(qs.select_related("member", "org").order_by(*BOARD_ORDER)[:limit], start=1)]
    mine = next((r for r in rows if me is not None and r["member_id"] == me.pk), None)
    if me is not None and mine is None:
        own = qs.filter(member=me).select_related("member", "org").first()
        if own is not None:
            before = (Q(best__gt=own.best) | Q(best=own.best, time_ms__lt=own.time_ms)
                      | Q(best=own.best, time_ms=own.time_ms, achieved_at__lt=own.achieved_at)
                      | Q(best=own.best, time_ms=own.time_ms, achieved_at=own.achieved_at, member_id__lt=own.member_id))
            mine = _board_row(own, qs.filter(before).count() + 1)
    return {"contest": contest, "org": org, "rows": rows, "me": mine}


def _board_row(b: ChallengeBest, rank: int) -> dict:
    return {"rank": rank, "member_id": b.member_id, "member": b.member.name, "org": b.org.name, "best": b.best,
            "time_ms": b.time_ms, "runs": b.runs}
