"""Reads of the quiz: the contest a member takes part in, what is served (never the answers),
results, the wrong-answer book, and the contracts `reports` and `supervision` read."""

from __future__ import annotations

import time
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangshi.core.contracts import AgendaItem, Fact
from dangshi.core.crypto import mask_name
from dangshi.core.provenance import Verification
from dangshi.learning.selectors import unverified_published
from dangshi.orgs.selectors import member_subtree, org_ancestors, orgs_by_id, path_chain
from dangshi.quiz.grading import FALSE, OPTION_KEYS, TRUE, normalise_text
from dangshi.quiz.models import (
    Attempt,
    Category,
    Certificate,
    Contest,
    ContestKind,
    ErrorReport,
    Question,
    QuestionType,
    WrongAnswer,
)

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org


def contest_for_org(*, org: Org, day: date | None = None, open_only: bool = True,
                    kind: str = ContestKind.DAILY) -> Contest | None:
    """The contest of `kind` covering the org on the day (hosted by the org or one above it);
    with `open_only=False` the newest one, open or not (for boards after the close)."""
    day = day or timezone.localdate()
    qs = Contest.objects.filter(kind=kind, org__path__in=path_chain(org.path)).select_related("campaign", "org")
    if open_only:
        qs = qs.filter(starts_on__lte=day, ends_on__gte=day)
    return qs.order_by("-starts_on", "id").first()


def contest_for_org_or_404(*, org: Org, day: date | None = None) -> Contest:
    contest = contest_for_org(org=org, day=day, open_only=False)
    if contest is None:
        raise Http404(_("没有覆盖该组织的答题竞赛。"))
    return contest


def contest_for_member(*, member: Member, day: date | None = None) -> Contest | None:
    return contest_for_org(org=member.org, day=day)


def contest_for_member_or_404(*, member: Member | None, day: date | None = None) -> Contest:
    contest = contest_for_member(member=member, day=day) if member else None
    if contest is None:
        raise Http404(_("今天没有进行中的每日答题。"))
    return contest


# The daily submit asks "which contest covers this member today" on every request, and the
# answer only changes when the office edits contests. Each process keeps the answer for a short
# while (a contest saved in this process is forgotten at once; in another process within
# CONTEST_CACHE_SECONDS). Only hits are kept, so a new contest is found on the first request.
# Read-only use: the cached instance is shared by the requests of the process.
CONTEST_CACHE_SECONDS = 30
_contest_cache: dict[tuple, tuple[float, Contest]] = {}


def _cached(key: tuple, find) -> Contest:
    hit = _contest_cache.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    contest = find()
    _contest_cache[key] = (time.monotonic() + CONTEST_CACHE_SECONDS, contest)
    return contest


def contest_for_member_cached_or_404(*, member: Member) -> Contest:
    """`contest_for_member_or_404` for today, from the per-process cache when fresh."""
    return _cached(("member", member.org.path, timezone.localdate()),
                   lambda: contest_for_member_or_404(member=member))


def contest_for_org_cached_or_404(*, org: Org, day: date) -> Contest:
    """`contest_for_org_or_404`, from the per-process cache when fresh (the leaderboard's)."""
    return _cached(("org", org.path, day), lambda: contest_for_org_or_404(org=org, day=day))


@receiver([post_save, post_delete], sender=Contest, dispatch_uid="quiz_contest_cache_forget")
def _contest_cache_forget(**kwargs) -> None:
    _contest_cache.clear()


def names_masked(rows: list[dict], *, viewer_member_id: int | None, name_key: str = "member") -> list[dict]:
    """A board's rows as a member sees them: other members' names masked, their own in full
    (rows carry `member_id` and the name under `name_key`). Admins see boards unmasked."""
    for row in rows:
        if row["member_id"] != viewer_member_id:
            row[name_key] = mask_name(row[name_key])
    return rows


def board_as_seen(rows: list[dict], *, scope) -> list[dict]:
    """A board's rows for this viewer: in full for office users and org admins, else as a
    member sees them (`names_masked`)."""
    if not scope.is_admin:
        names_masked(rows, viewer_member_id=scope.member_id)
    return rows


def board_org_or_404(*, scope, code: str | None, member: Member | None) -> Org:
    """The org whose ranking is asked: any org in reach; for a member also the orgs above
    their own (a member sees where they stand in the branch, the street, the district)."""
    if scope.is_admin and (code or not member):
        org = scope.org_or_404(code) if code else scope.home_org
    elif member is not None:
        org = org_ancestors(org=member.org, include_self=True).filter(code=code).first() if code else member.org
    else:
        org = None
    if org is None:
        raise Http404(_("未找到该组织。"))
    return org


def orgs_above(*, member: Member, contest: Contest) -> list[Org]:
    """The member's own org and those above it up to the contest's host, nearest first."""
    return list(org_ancestors(org=member.org, include_self=True).filter(depth__gte=contest.org.depth)
                .order_by("-depth"))


def contests_in_scope(scope):
    return scope.filter(Contest.objects.select_related("campaign", "org")).order_by("-starts_on", "id")


def served_options(item) -> list[dict]:
    version = item.version
    if item.question.type == QuestionType.TRUE_FALSE:
        return [{"key": TRUE, "text": TRUE}, {"key": FALSE, "text": FALSE}]
    if item.question.type == QuestionType.FILL:
        return []
    return [{"key": OPTION_KEYS[i], "text": version.options[k]} for i, k in enumerate(item.order)]


def attempt_items(attempt: Attempt):
    return list(attempt.items.select_related("version", "question").order_by("position"))


def attempt_payload(*, attempt: Attempt) -> dict:
    """What the member is served: no answer, no explanation, no correctness."""
    return {
        "contest": attempt.contest.title,
        "day": attempt.day,
        "started_at": attempt.started_at,
        "submitted": attempt.submitted_at is not None,
        "seconds_per_question": attempt.contest.seconds_per_question,
        "questions": [{"id": i.question_id, "type": i.question.type, "stem": i.version.stem,
                       "options": served_options(i)} for i in attempt_items(attempt)],
    }


def displayed_answer(item) -> list[str]:
    """The correct answer in the keys the member saw."""
    answer = item.version.answer
    if item.question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return sorted(OPTION_KEYS[item.order.index(k)] for k in answer if k in item.order)
    return list(answer)


def attempt_result(*, attempt: Attempt, items=None) -> dict:
    """After submission only: per-question correctness, the answer and the explanation."""
    if attempt.submitted_at is None:
        raise Http404(_("尚未提交答卷。"))
    items = items or attempt_items(attempt)
    return {
        "score": round(100 * attempt.correct / attempt.total) if attempt.total else 0,
        "correct": attempt.correct,
        "total": attempt.total,
        "questions": [{
            "id": i.question_id, "type": i.question.type, "stem": i.version.stem, "options": served_options(i),
            "correct": i.correct, "counted": i.counted, "answer": displayed_answer(i),
            "given": _displayed_given(i), "explanation": i.version.explanation, "source": i.version.source,
        } for i in items],
    }


def _displayed_given(item) -> list[str]:
    if not item.given:
        return []
    if item.question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return sorted(OPTION_KEYS[item.order.index(k)] for k in item.given if k in item.order)
    return list(item.given)


def today_attempt(*, contest: Contest, member: Member, day: date | None = None) -> Attempt | None:
    day = day or timezone.localdate()
    return Attempt.objects.filter(contest=contest, member=member, day=day).select_related("contest").first()


def day_closed(*, day: date, today: date | None = None) -> bool:
    """A day's answers are public only once the day is over for everyone."""
    return day < (today or timezone.localdate())


def wrong_book(*, member: Member, due_only: bool = False, now=None):
    qs = WrongAnswer.objects.filter(member=member).select_related("question__current", "question__category")
    if due_only:
        qs = qs.filter(due__lte=now or timezone.now())
    return qs.order_by("due")


def wrong_or_404(*, member: Member, wrong_id: int) -> WrongAnswer:
    wrong = wrong_book(member=member).select_related("member__org").filter(pk=wrong_id).first()
    if wrong is None:
        raise Http404(_("未找到该错题。"))
    return wrong


def certificate_by_serial(serial: str) -> Certificate | None:
    return (Certificate.objects.filter(serial=serial.strip().upper())
            .select_related("member", "org", "contest__campaign", "contest__org").first())


# -- contracts (dangshi.core.contracts) ------------------------------------------------

ROLLUP_METRICS = {
    "quiz.attempts": gettext_lazy("答题人次"),
    "quiz.participants": gettext_lazy("答题人数"),
    "quiz.answered": gettext_lazy("答题数"),
    "quiz.correct": gettext_lazy("答对题数"),
}


def rollup_facts(*, start: date, end: date, root_path: str = ""):
    """Per org (the member's org when served): attempts, distinct participants, questions, correct."""
    rows = (Attempt.objects.filter(day__gte=start, day__lte=end, submitted_at__isnull=False,
                                   org__path__startswith=root_path)
            .values("org__path")
            .annotate(attempts=Count("id"), people=Count("member_id", distinct=True), n=Sum("total"), c=Sum("correct")))
    for r in rows:
        path = r["org__path"]
        yield Fact(path, "quiz.attempts", r["attempts"])
        yield Fact(path, "quiz.participants", r["people"])
        yield Fact(path, "quiz.answered", r["n"] or 0)
        yield Fact(path, "quiz.correct", r["c"] or 0)


LOW_PARTICIPATION = 0.3


def agenda_items(*, root: Org, week_start: date, week_end: date) -> list[AgendaItem]:
    """Branches where fewer than 30% of members answered the daily quiz at least once in the week."""
    if not Contest.objects.filter(starts_on__lte=week_end, ends_on__gte=week_start).exists():
        return []
    heads = dict(member_subtree(root=root).filter(org__grassroots=True)
                 .values("org_id").annotate(n=Count("id")).values_list("org_id", "n"))
    took = dict(Attempt.objects.filter(day__gte=week_start, day__lte=week_end, submitted_at__isnull=False,
                                       org__path__startswith=root.path)
                .values("org_id").annotate(n=Count("member_id", distinct=True)).values_list("org_id", "n"))
    lagging = [(org_id, n) for org_id, n in heads.items() if n >= 3 and took.get(org_id, 0) / n < LOW_PARTICIPATION]
    orgs = orgs_by_id([org_id for org_id, _n in lagging])
    url = reverse("quiz:console_rankings")
    items = []
    for org_id, n in sorted(lagging, key=lambda x: took.get(x[0], 0) / x[1])[:50]:
        org = orgs[org_id]
        rate = took.get(org_id, 0) / n
        items.append(AgendaItem(
            module="quiz", kind="quiz_low_participation", org_id=org_id, org_name=org.name,
            title=_("%(org)s 本周每日答题参与率 %(rate)d%%") % {"org": org.name, "rate": round(rate * 100)},
            url=f"{url}?org={org.code}", detail=_("在册党员 %(n)d 名,参与 %(k)d 名") % {"n": n, "k": took.get(org_id, 0)},
        ))
    return items


def member_figures(*, member: Member, start: date, end: date) -> dict[str, object]:
    totals = Attempt.objects.filter(member=member, day__gte=start, day__lte=end, submitted_at__isnull=False).aggregate(
        days=Count("id"), n=Sum("total"), c=Sum("correct"))
    n = totals["n"] or 0
    return {
        _("答题天数"): totals["days"],
        _("答题数"): n,
        _("答题正确率"): f"{100 * (totals['c'] or 0) / n:.0f}%" if n else "—",
    }


def servable_q() -> Q:
    """Questions members may be served: active, with a current version that is 已核, or 未核
    while the office publishes unreviewed content (the learning ContentPolicy)."""
    return Q(active=True, current__isnull=False) & (
        Q(current__verification=Verification.VERIFIED)
        | (Q(current__verification=Verification.UNVERIFIED) & unverified_published()))


def review_questions(*, scope, verification: str = ""):
    """Questions by the provenance of their current version (内容审核); office only."""
    scope.require_office()
    qs = Question.objects.filter(current__isnull=False).select_related("current", "category")
    if verification:
        qs = qs.filter(current__verification=verification)
    return qs.annotate(open_reports=Count("error_reports", filter=Q(error_reports__resolved_at__isnull=True)))


def review_question_or_404(*, scope, question_id: int):
    question = review_questions(scope=scope).filter(pk=question_id).first()
    if question is None:
        raise Http404(_("未找到该题目。"))
    return question


def review_counts(*, scope) -> dict[str, int]:
    rows = (review_questions(scope=scope).order_by().values("current__verification")
            .annotate(n=Count("id", distinct=True)))
    return {r["current__verification"]: r["n"] for r in rows}


def error_reports_open(*, scope):
    """Members' 答题纠错 reports not yet resolved, oldest first (office only)."""
    scope.require_office()
    return (scope.filter(ErrorReport.objects.filter(resolved_at__isnull=True)).select_related("question", "version", "org")
            .order_by("created_at"))


def error_report_or_404(*, scope, report_id: int):
    scope.require_office()
    report = scope.filter(ErrorReport.objects.select_related("question")).filter(pk=report_id).first()
    if report is None:
        raise Http404(_("未找到该纠错。"))
    return report
# -- for the live contest (dangshi.live) -------------------------------------------------


def bank_questions(*, category_id: int | None = None, difficulty: int | None = None, ids=None):
    """Active questions of the bank with their current version, by category (and its
    subcategories) and difficulty, or by id."""
    qs = Question.objects.filter(active=True, current__isnull=False).select_related("current", "category")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if category_id:
        qs = qs.filter(Q(category_id=category_id) | Q(category__parent_id=category_id))
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    return qs.order_by("id")


def bank_categories():
    return Category.objects.select_related("parent").order_by("parent_id", "name")


def answer_is_correct(*, question_type: str, answer: list, given) -> bool:
    """Grade an answer given to a question shown with its options in the author's order."""
    if given is None or given == "" or given == []:
        return False
    if question_type in (QuestionType.FILL, QuestionType.TRUE_FALSE):
        values = [str(given[0] if isinstance(given, list) else given)]
    else:
        values = sorted({str(v).strip().upper() for v in (given if isinstance(given, list) else list(str(given)))})
    if question_type == QuestionType.FILL:
        return normalise_text(values[0]) in {normalise_text(a) for a in answer}
    return sorted(values) == sorted(answer)
