"""Member H5 pages of 挑战答题: start a run, one question at a time against the server's clock,
the run's result, my best run and the board of best runs."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.errors import DomainError
from dangshi.quiz import challenge, selectors
from dangshi.quiz.views import _member


@require_http_methods(["GET", "POST"])
def member_challenge(request):
    """GET: the contest, my best run and my last runs. POST: start a run (its clock starts now)."""
    member = _member(request)
    contest = challenge.contest_for_org(org=member.org)
    if request.method == "POST" and contest is not None:
        try:
            run = challenge.challenge_start(contest=contest, member=member, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("quiz:member_challenge")
        return redirect("quiz:member_challenge_run", run_id=run.pk)
    context = {"contest": contest}
    if contest is not None:
        context.update(best=challenge.best_of(contest=contest, member=member),
                       runs=challenge.recent_runs(contest=contest, member=member))
    return render(request, "quiz/member_challenge.html", context)


@require_http_methods(["GET", "POST"])
def member_challenge_run(request, run_id: int):
    """GET: the open question with its countdown, and the verdict on the one before.
    POST: answer the open question; then back here, or to the result once the run has ended."""
    member = _member(request)
    run = challenge.run_or_404(member=member, run_id=run_id)
    if request.method == "POST":
        try:
            challenge.challenge_answer(run=run, question_id=int(request.POST.get("question") or 0),
                                       given=request.POST.getlist("answer"), actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("quiz:member_challenge_run", run_id=run.pk)
    if run.ended_at is None:
        challenge.challenge_expire(run=run, actor=request.user)  # walked away past the deadline: ended
    item = challenge.open_item(run)
    if item is None:
        return redirect("quiz:member_challenge_result", run_id=run.pk)
    previous = challenge.last_answered(run)
    return render(request, "quiz/member_challenge_run.html", {
        "run": run, "contest": run.contest, "question": challenge.question_payload(item),
        "number": item.position + 1, "left": challenge.seconds_left(contest=run.contest, item=item),
        "previous": challenge.verdict_payload(previous) if previous else None,
    })


@require_GET
def member_challenge_result(request, run_id: int):
    member = _member(request)
    run = challenge.run_or_404(member=member, run_id=run_id)
    if run.ended_at is None:
        return redirect("quiz:member_challenge_run", run_id=run.pk)
    last = challenge.last_answered(run)
    return render(request, "quiz/member_challenge_result.html", {
        "run": run, "contest": run.contest,
        "last": challenge.verdict_payload(last, late=run.end_reason == "late") if last and not last.correct else None,
        "options": challenge.question_payload(last)["options"] if last and not last.correct else [],
        "best": challenge.best_of(contest=run.contest, member=member),
        "seconds": round((run.ended_at - run.started_at).total_seconds()),
    })


@require_GET
def member_challenge_board(request):
    """Best runs in my branch and each org above it up to the contest's host; other members'
    names masked, my own row marked."""
    member = _member(request)
    contest = challenge.latest_contest_for_org(org=member.org)
    boards = []
    if contest is not None:
        for org in selectors.orgs_above(member=member, contest=contest):
            board = challenge.board(contest=contest, org=org, limit=10, me=member)
            selectors.names_masked(board["rows"], viewer_member_id=member.pk)
            boards.append(board)
    return render(request, "quiz/member_challenge_board.html", {
        "contest": contest, "boards": boards, "today": timezone.localdate()})
