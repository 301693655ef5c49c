"""Member H5 pages: today's quiz, the result with explanations, my rank, the wrong-answer
book; 挑战答题 (a run one question at a time against the server's clock, its result, my best
run and the board of best runs); 团队赛 (the team board and my own teams)."""

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.core.context import client_ip
from dangshi.core.crypto import digest
from dangshi.errors import DomainError
from dangshi.quiz import selectors, services


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
            board = selectors.ranking.leaderboard(contest=contest, org=org, kind=request.GET.get("period", "season"),
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
            ok = services.review.review_answer(wrong=wrong, given=given if len(given) != 1 else given[0], actor=request.user)
            context.update(done=True, ok=ok, answer=wrong.question.current.answer)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "quiz/member_review.html", context)


def _picked(contests, wanted):
    return next((c for c in contests if str(c.pk) == str(wanted)), contests[0] if contests else None)


# -- 挑战答题 ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def member_challenge(request):
    """GET: the contest, my best run and my last runs. POST: start a run (its clock starts now)."""
    member = _member(request)
    contest = selectors.challenge.contest_for_org(org=member.org)
    if request.method == "POST" and contest is not None:
        try:
            run = services.challenge.challenge_start(contest=contest, member=member, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("quiz:member_challenge")
        return redirect("quiz:member_challenge_run", run_id=run.pk)
    context = {"contest": contest}
    if contest is not None:
        context.update(best=selectors.challenge.best_of(contest=contest, member=member),
                       runs=selectors.challenge.recent_runs(contest=contest, member=member))
    return render(request, "quiz/member_challenge.html", context)


@require_http_methods(["GET", "POST"])
def member_challenge_run(request, run_id: int):
    """GET: the open question with its countdown, and the verdict on the one before.
    POST: answer the open question; then back here, or to the result once the run has ended."""
    member = _member(request)
    run = selectors.challenge.run_or_404(member=member, run_id=run_id)
    if request.method == "POST":
        try:
            services.challenge.challenge_answer(run=run, question_id=int(request.POST.get("question") or 0),
                                       given=request.POST.getlist("answer"), actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("quiz:member_challenge_run", run_id=run.pk)
    if run.ended_at is None:
        services.challenge.challenge_expire(run=run, actor=request.user)  # walked away past the deadline: ended
    item = selectors.challenge.open_item(run)
    if item is None:
        return redirect("quiz:member_challenge_result", run_id=run.pk)
    previous = selectors.challenge.last_answered(run)
    return render(request, "quiz/member_challenge_run.html", {
        "run": run, "contest": run.contest, "question": selectors.challenge.question_payload(item),
        "number": item.position + 1, "left": selectors.challenge.seconds_left(contest=run.contest, item=item),
        "previous": selectors.challenge.verdict_payload(previous) if previous else None,
    })


@require_GET
def member_challenge_result(request, run_id: int):
    member = _member(request)
    run = selectors.challenge.run_or_404(member=member, run_id=run_id)
    if run.ended_at is None:
        return redirect("quiz:member_challenge_run", run_id=run.pk)
    last = selectors.challenge.last_answered(run)
    return render(request, "quiz/member_challenge_result.html", {
        "run": run, "contest": run.contest,
        "last": selectors.challenge.verdict_payload(last, late=run.end_reason == "late") if last and not last.correct else None,
        "options": selectors.challenge.question_payload(last)["options"] if last and not last.correct else [],
        "best": selectors.challenge.best_of(contest=run.contest, member=member),
        "seconds": round((run.ended_at - run.started_at).total_seconds()),
    })


@require_GET
def member_challenge_board(request):
    """Best runs in my branch and each org above it up to the contest's host; other members'
    names masked, my own row marked."""
    member = _member(request)
    contest = selectors.challenge.latest_contest_for_org(org=member.org)
    boards = []
    if contest is not None:
        for org in selectors.orgs_above(member=member, contest=contest):
            board = selectors.challenge.board(contest=contest, org=org, limit=10, me=member)
            selectors.names_masked(board["rows"], viewer_member_id=member.pk)
            boards.append(board)
    return render(request, "quiz/member_challenge_board.html", {
        "contest": contest, "boards": boards, "today": timezone.localdate()})


# -- 团队赛 -----------------------------------------------------------------------------



@require_GET
def member_teams(request):
    """The team board of a contest covering my org, for my org or one above it (the contest's
    host by default), with my team marked."""
    member = _member(request)
    contests = selectors.teams.contests_covering(paths=[member.org.path])
    contest = _picked(contests, request.GET.get("contest"))
    context = {"contests": contests, "contest": contest}
    if contest is not None:
        orgs = selectors.orgs_above(member=member, contest=contest)
        org = next((o for o in orgs if o.code == request.GET.get("org")), orgs[-1])
        mine = selectors.teams.team_ids_of_member(member=member, contest=contest)
        context.update(orgs=orgs, org=org, rows=selectors.teams.teams_board(contest=contest, org=org), mine=mine)
    return render(request, "quiz/member_teams.html", context)


@require_GET
def member_team(request):
    """My teams (one per contest) with each member's score; other members' names masked."""
    member = _member(request)
    return render(request, "quiz/member_team.html",
                  {"details": selectors.teams.team_details_of_member(member=member)})
