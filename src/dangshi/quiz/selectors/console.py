"""Reads of the office's console: the bank with its open error reports, a question and its
history, contests in reach, the review flags and the certificates of a contest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from dangshi.quiz.models import Certificate, Contest, ErrorReport, FlagStatus, Question, ReviewFlag
from dangshi.quiz.selectors.daily import contests_in_scope

if TYPE_CHECKING:
    from dangshi.orgs.scope import Scope


def bank_questions(*, q: str = "", qtype: str = "") -> QuerySet[Question]:
    """The bank, questions with open error reports first (each with `open_reports`)."""
    questions = Question.objects.select_related("current", "category").annotate(
        open_reports=Count("error_reports", filter=Q(error_reports__resolved_at__isnull=True)))
    if q:
        questions = questions.filter(current__stem__icontains=q)
    if qtype:
        questions = questions.filter(type=qtype)
    return questions.order_by("-open_reports", "id")


def open_error_report_count() -> int:
    return ErrorReport.objects.filter(resolved_at__isnull=True).count()


def question_or_404(question_id: int) -> Question:
    question = Question.objects.select_related("current", "category").filter(pk=question_id).first()
    if question is None:
        raise Http404(_("未找到该题目。"))
    return question


def error_report_or_404(*, question: Question, report_id) -> ErrorReport:
    report = question.error_reports.filter(pk=report_id).first()
    if report is None:
        raise Http404(_("未找到该纠错。"))
    return report


def question_history(*, question: Question) -> dict:
    """A question's versions, newest first, and its error reports, open ones first."""
    return {"versions": question.versions.order_by("-number"),
            "reports": question.error_reports.select_related("member").order_by("resolved_at", "-created_at")}


def contest_or_404(*, scope: Scope, contest_id: int) -> Contest:
    contest = contests_in_scope(scope).filter(pk=contest_id).first()
    if contest is None:
        raise Http404(_("未找到该竞赛。"))
    return contest


def contests_with_submissions(*, scope: Scope):
    """Contests in reach, each with `submitted`: its submitted attempts."""
    return contests_in_scope(scope).annotate(
        submitted=Count("attempts", filter=Q(attempts__submitted_at__isnull=False)))


def contest_attempts(*, scope: Scope, contest: Contest):
    """The contest's attempts by members in reach (for the anti-cheat report)."""
    return scope.filter(contest.attempts.all())


def contest_flags(*, scope: Scope, contest: Contest):
    return scope.filter(contest.flags.select_related("member", "org")).order_by("status", "-id")


def flag_or_404(*, scope: Scope, flag_id: int) -> ReviewFlag:
    flag = scope.filter(ReviewFlag.objects.select_related("contest")).filter(pk=flag_id).first()
    if flag is None:
        raise Http404(_("未找到该复核记录。"))
    return flag


def selection_of(*, scope: Scope, contest: Contest | None) -> dict:
    """The contest's certificates in reach and how many members a review flag holds back."""
    if contest is None:
        return {"certificates": Certificate.objects.none(), "held": 0}
    return {"certificates": scope.filter(contest.certificates.select_related("member", "org")),
            "held": contest.flags.filter(status__in=[FlagStatus.OPEN, FlagStatus.EXCLUDED]).count()}


def contest_certificates(*, scope: Scope, contest: Contest) -> list[Certificate]:
    return list(scope.filter(contest.certificates.select_related(
        "member", "org", "contest__campaign", "contest__org")))
