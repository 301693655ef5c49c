"""团队赛 pages: the member's team board and own team (H5), and the org admin's console, where
teams of orgs in reach are registered and their members (from the team's org subtree) kept."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.core.crypto import mask_name
from dangshi.errors import DomainError
from dangshi.quiz import selectors, teams
from dangshi.quiz.views import _member


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _picked(contests, wanted):
    return next((c for c in contests if str(c.pk) == str(wanted)), contests[0] if contests else None)


# -- member H5 --------------------------------------------------------------------------


@require_GET
def member_teams(request):
    """The team board of a contest covering my org, for my org or one above it (the contest's
    host by default), with my team marked."""
    member = _member(request)
    contests = teams.contests_covering(paths=[member.org.path])
    contest = _picked(contests, request.GET.get("contest"))
    context = {"contests": contests, "contest": contest}
    if contest is not None:
        orgs = selectors.orgs_above(member=member, contest=contest)
        org = next((o for o in orgs if o.code == request.GET.get("org")), orgs[-1])
        mine = set(teams.teams_of_member(member=member).filter(contest=contest).values_list("pk", flat=True))
        context.update(orgs=orgs, org=org, rows=teams.teams_board(contest=contest, org=org), mine=mine)
    return render(request, "quiz/member_teams.html", context)


@require_GET
def member_team(request):
    """My teams (one per contest) with each member's score; other members' names masked."""
    member = _member(request)
    details = []
    for team in teams.teams_of_member(member=member):
        detail = teams.team_detail(team=team)
        for row in detail["rows"]:
            row["name"] = row["member"].name if row["member"].pk == member.pk else mask_name(row["member"].name)
            row["me"] = row["member"].pk == member.pk
        details.append(detail)
    return render(request, "quiz/member_team.html", {"details": details})


# -- org admin console ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def console_teams(request):
    """GET: the teams of an org in reach (my org by default) for a contest, ranked with their
    scores. POST: register a team of an org in reach."""
    scope = request.scope
    scope.require_admin()
    contests = teams.contests_covering(paths=scope.org_paths, below=True)
    contest = _picked(contests, request.GET.get("contest") or request.POST.get("contest"))
    if request.method == "POST" and contest is not None:
        org = scope.org_or_404(request.POST.get("org", "").strip())
        try:
            team = teams.team_register(contest=contest, org=org, name=request.POST.get("name", ""),
                                       actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(f"{request.path}?contest={contest.pk}")
        messages.success(request, _("已报名团队,请添加成员。"))
        return redirect("quiz:console_team", team_id=team.pk)
    org = scope.org_or_404(request.GET["org"]) if request.GET.get("org") else scope.home_org
    context = {"contests": contests, "contest": contest, "org": org,
               "orgs": scope.orgs().order_by("path")[:300]}
    if contest is not None:
        context["rows"] = teams.teams_board(contest=contest, org=org)
    return render(request, "quiz/console_teams.html", context)


@require_GET
def console_team(request, team_id: int):
    """A team: its members with their scores, and members of its org subtree who may join."""
    team = teams.team_or_404(scope=request.scope, team_id=team_id)
    q = request.GET.get("q", "").strip()
    return render(request, "quiz/console_team.html", {
        **teams.team_detail(team=team), "q": q, "candidates": teams.candidates(team=team, q=q),
    })


@require_POST
def console_team_members(request, team_id: int):
    """Add (`add`=member id) or remove (`remove`=member id) a member; out of reach is 404."""
    scope = request.scope
    team = teams.team_or_404(scope=scope, team_id=team_id)
    try:
        if _int(request.POST.get("add")):
            teams.team_member_add(team=team, member=scope.member_or_404(_int(request.POST["add"])),
                                  actor=request.user)
        elif _int(request.POST.get("remove")):
            membership = teams.membership_or_404(team=team, member_id=_int(request.POST["remove"]))
            teams.team_member_remove(membership=membership, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    query = f"?{urlencode({'q': request.POST['q']})}" if request.POST.get("q") else ""
    return redirect(reverse("quiz:console_team", args=[team.pk]) + query)
