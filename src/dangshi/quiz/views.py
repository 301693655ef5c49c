"""Member H5 pages: today's quiz, the result with explanations, my rank, the wrong-answer
book; and the public certificate verification page."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.core.context import client_ip
from dangshi.core.crypto import digest
from dangshi.errors import DomainError
from dangshi.quiz import ranking, review, selectors, services


def _member(request):
    scope = request.scope
    if not scope.is_member:
        raise Http404(_("页面不存在。"))
    return scope.member_or_404(scope.member_id)


@require_http_methods(["GET", "POST"])
def member_daily(request):
    """GET: the start screen, the questions (once started) or a link to the result.
    POST: start today's attempt (the server's clock starts now)."""
    member = _member(request)
    contest = selectors.contest_for_member(member=member)
    attempt = selectors.today_attempt(contest=contest, member=member) if contest else None
    if request.method == "POST" and contest is not None and attempt is None:
        try:
            services.attempt_start(contest=contest, member=member, ip=client_ip(request), actor=request.user,
                                   device=digest(request.headers.get("User-Agent", ""))[:64])
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("quiz:member_daily")
    if attempt is not None and attempt.submitted_at is not None:
        return redirect("quiz:member_result")
    context = {"contest": contest, "attempt": attempt}
    if attempt is not None:
        payload = selectors.attempt_payload(attempt=attempt)
        elapsed = (timezone.now() - attempt.started_at).total_seconds()
        context.update(payload=payload, elapsed=int(elapsed))
    return render(request, "quiz/member_daily.html", context)


@require_POST
def member_daily_submit(request):
    member = _member(request)
    contest = selectors.contest_for_member_or_404(member=member)
    # Fields are q<question id>; checkboxes give several values, the rest one.
    answers = {key[1:]: request.POST.getlist(key) for key in request.POST if key[:1] == "q" and key[1:].isdigit()}
    try:
        timings = json.loads(request.POST.get("timings") or "{}")
    except ValueError:
        timings = {}
    try:
        services.attempt_submit(contest=contest, member=member, answers=answers, timings=timings, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("quiz:member_result")


@require_GET
def member_result(request):
    member = _member(request)
    contest = selectors.contest_for_member_or_404(member=member)
    attempt = selectors.today_attempt(contest=contest, member=member)
    if attempt is None or attempt.submitted_at is None:
        return redirect("quiz:member_daily")
    return render(request, "quiz/member_result.html", {
        "contest": contest, "attempt": attempt, "result": selectors.attempt_result(attempt=attempt),
    })


@require_POST
def member_error_report(request, question_id: int):
    member = _member(request)
    try:
        services.error_report_create(member=member, question_id=question_id, text=request.POST.get("text", ""),
                                     actor=request.user)
        messages.success(request, _("感谢纠错,学习教育办公室会尽快核实。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("quiz:member_result")


@require_GET
def member_rank(request):
    member = _member(request)
    contest = selectors.contest_for_org(org=member.org, open_only=False)
    boards = []
    if contest is not None:
        for org in selectors.orgs_above(member=member, contest=contest):
            board = ranking.leaderboard(contest=contest, org=org, kind=request.GET.get("period", "season"),
                                        limit=10, me=member)
            selectors.names_masked(board["rows"], viewer_member_id=member.pk)
            boards.append((org, board))
    return render(request, "quiz/member_rank.html", {"contest": contest, "boards": boards,
                                                     "period": request.GET.get("period", "season")})


@require_GET
def member_wrong(request):
    member = _member(request)
    book = list(selectors.wrong_book(member=member))
    now = timezone.now()
    return render(request, "quiz/member_wrong.html", {
        "due": [w for w in book if w.due <= now], "later": [w for w in book if w.due > now],
    })


@require_http_methods(["GET", "POST"])
def member_review(request, wrong_id: int):
    member = _member(request)
    wrong = selectors.wrong_or_404(member=member, wrong_id=wrong_id)
    context = {"wrong": wrong, "version": wrong.question.current}
    if request.method == "POST":
        given = request.POST.getlist("answer")
        try:
            ok = review.review_answer(wrong=wrong, given=given if len(given) != 1 else given[0], actor=request.user)
            context.update(done=True, ok=ok, answer=wrong.question.current.answer)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "quiz/member_review.html", context)


@login_not_required
@require_GET
def verify(request, cert_serial: str):
    """Public: confirms a certificate, showing nothing personal beyond name and org."""
    cert = selectors.certificate_by_serial(cert_serial)
    return render(request, "quiz/verify.html", {"cert": cert, "serial": cert_serial}, status=200 if cert else 404)
