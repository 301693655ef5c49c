"""The console side of the live contest (desktop): preparing a show, the host console, the big
screen, the judges, and after the show the results and certificates. Everything is scoped
to the host's reach (`selectors.contest_for_host_or_404`); out of scope is 404."""

import base64
import io

import qrcode
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from qrcode.image.svg import SvgPathImage

from dangshi.core.downloads import attachment
from dangshi.errors import DomainError
from dangshi.live import exports, selectors, services
from dangshi.live.models import Phase, RoundKind
from dangshi.live.views.shell import render_live
from dangshi.quiz import selectors as quiz_selectors
from dangshi.quiz import services as quiz_services


def _int(value, default=None):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _contest(request, show_id: int):
    return selectors.contest_for_host_or_404(scope=request.scope, contest_id=show_id)


def _qr_data_uri(url: str) -> str:
    out = io.BytesIO()
    qrcode.make(url, image_factory=SvgPathImage, box_size=8).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@require_http_methods(["GET", "POST"])
def console_list(request):
    request.scope.require_admin()
    if request.method == "POST":
        try:
            org = request.scope.org_or_404(request.POST.get("org", ""))
            contest = services.contest_create(org=org, title=request.POST.get("title", ""),
                                              public=request.POST.get("public") == "on", actor=request.user)
            return redirect("live:console_contest", show_id=contest.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "live/console_list.html", {
        "contests": selectors.contests_for_host(scope=request.scope),
        "orgs": request.scope.orgs().order_by("path")[:200], "posted": request.POST})


@require_GET
def console_contest(request, show_id: int):
    contest = _contest(request, show_id)
    teams = list(contest.teams.prefetch_related("contestants__member"))
    for team in teams:
        team.join_url = request.build_absolute_uri(reverse("live:desk", args=[team.join_key]))
        team.qr = _qr_data_uri(team.join_url)
    members = request.scope.members().filter(org__path__startswith=contest.org.path, active=True).order_by("name")
    return render(request, "live/console_contest.html", {
        "contest": contest, "teams": teams, "rounds": contest.rounds.prefetch_related("questions__version"),
        "run": selectors.run_of_show(contest=contest), "kinds": RoundKind.choices,
        "categories": quiz_selectors.bank_categories(), "members": members[:300],
        "audience_url": request.build_absolute_uri(reverse("live:audience", args=[contest.pk])),
        "audience_qr": _qr_data_uri(request.build_absolute_uri(reverse("live:audience", args=[contest.pk]))),
        "ranking": selectors.ranking(contest=contest) if contest.phase == Phase.FINISHED else None,
    })


def _prepare(request, show_id: int, act):
    contest = _contest(request, show_id)
    try:
        act(contest)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("live:console_contest", show_id=contest.pk)


@require_POST
def team_add(request, show_id: int):
    def act(contest):
        ids = [i for i in (_int(v) for v in request.POST.getlist("members")) if i]
        members = list(request.scope.members().select_related("org").filter(pk__in=ids))
        services.team_add(contest=contest, name=request.POST.get("name", ""), members=members, actor=request.user)

    return _prepare(request, show_id, act)


@require_POST
def round_add(request, show_id: int):
    def act(contest):
        values = [v for v in (_int(x) for x in request.POST.get("risk_values", "").replace(",", " ").split()) if v]
        services.round_add(contest=contest, kind=request.POST.get("kind", ""), title=request.POST.get("title", ""),
                           seconds=_int(request.POST.get("seconds"), 30), points=_int(request.POST.get("points"), 10),
                           penalty=_int(request.POST.get("penalty"), 0),
                           foul_penalty=_int(request.POST.get("foul_penalty"), 5), risk_values=values or None,
                           actor=request.user)

    return _prepare(request, show_id, act)


@require_POST
def questions_add(request, show_id: int):
    """Draw by category and difficulty, or choose by question ids."""

    def act(contest):
        rnd = contest.rounds.filter(pk=_int(request.POST.get("round"))).first()
        if rnd is None:
            raise Http404(_("未找到该轮次。"))
        ids = [i for i in (_int(x) for x in request.POST.get("ids", "").replace(",", " ").split()) if i]
        if ids:
            services.round_questions_choose(round=rnd, question_ids=ids, actor=request.user)
        else:
            services.round_questions_draw(round=rnd, count=_int(request.POST.get("count"), 0),
                                          category_id=_int(request.POST.get("category")),
                                          difficulty=_int(request.POST.get("difficulty")), actor=request.user)

    return _prepare(request, show_id, act)


@require_POST
def contest_fix(request, show_id: int):
    return _prepare(request, show_id, lambda contest: services.contest_fix(contest=contest, actor=request.user))


@require_GET
def host(request, show_id: int):
    contest = _contest(request, show_id)
    return render_live(request, "live/host.html", {"contest": contest}, ws_path=f"/ws/live/{contest.pk}/host/")


@require_GET
def screen(request, show_id: int):
    contest = _contest(request, show_id)
    return render_live(request, "live/screen.html", {"contest": contest}, ws_path=f"/ws/live/{contest.pk}/screen/")


@require_GET
def judges(request, show_id: int):
    contest = _contest(request, show_id)
    return render_live(request, "live/judges.html", {"contest": contest, "teams": contest.teams.all()},
                       ws_path=f"/ws/live/{contest.pk}/judge/")


def _serials(contest) -> dict[int, str]:
    if not contest.certificate_contest_id:
        return {}
    return {c.member_id: c.serial for c in quiz_services.live_certificates(contest_id=contest.certificate_contest_id)}


@require_GET
def results_export(request, show_id: int):
    contest = _contest(request, show_id)
    if contest.phase != Phase.FINISHED:
        raise Http404(_("竞赛结束后才能导出成绩。"))
    data = exports.results_xlsx(contest=contest, certificates=_serials(contest), actor=request.user)
    return attachment(data, f"live-{contest.pk}-results.xlsx")


@require_http_methods(["GET", "POST"])
def certificates(request, show_id: int):
    """POST issues the winners' certificates; GET downloads them as one zip of PDFs."""
    contest = _contest(request, show_id)
    if request.method == "POST":
        try:
            services.certificates_issue(contest=contest, places=_int(request.POST.get("places"), 3),
                                        honour=request.POST.get("honour", ""), actor=request.user)
            messages.success(request, _("证书已颁发。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("live:console_contest", show_id=contest.pk)
    if not contest.certificate_contest_id:
        messages.error(request, _("本竞赛还没有颁发证书。"))
        return redirect("live:console_contest", show_id=contest.pk)
    data = quiz_services.live_certificates_zip(contest_id=contest.certificate_contest_id, actor=request.user)
    return attachment(data, f"live-{contest.pk}-certificates.zip", "application/zip")
