"""Console pages: the office's bank, contests, rankings by org, the anti-cheat report, the
selection and its certificates; the org admins' 团队赛 (teams of orgs in reach, registered
and kept with members from the team's org subtree)."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.core.downloads import attachment
from dangshi.core.import_reports import import_failed, import_report
from dangshi.core.tabular import ImportFailed
from dangshi.errors import DomainError
from dangshi.orgs.selectors import campaign_for
from dangshi.quiz import selectors, services
from dangshi.quiz.models import ContestKind, QuestionType
from dangshi.quiz.services.certificates import certificate_pdf, certificates_zip, selection_make


def _picked_contest(request):
    contests = list(selectors.contests_in_scope(request.scope))
    wanted = request.GET.get("contest")
    picked = next((c for c in contests if str(c.pk) == wanted), contests[0] if contests else None)
    return contests, picked


# -- bank ---------------------------------------------------------------------------


@require_GET
def console_bank(request):
    request.scope.require_office()
    q = request.GET.get("q", "").strip()
    qtype = request.GET.get("type", "")
    page = Paginator(selectors.console.bank_questions(q=q, qtype=qtype), 50).get_page(request.GET.get("page"))
    return render(request, "quiz/console_bank.html", {
        "page": page, "q": q, "type": qtype, "types": QuestionType.choices,
        "open_reports": selectors.console.open_error_report_count(),
    })


@require_http_methods(["GET", "POST"])
def console_bank_import(request):
    request.scope.require_office()
    context = {"headers": services.bank.HEADERS}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("请选择要导入的文件。")
        else:
            try:
                count = services.bank.questions_import(file=upload, actor=request.user, filename=upload.name)
            except ImportFailed as failure:
                context.update(import_failed(request, failure, upload, kind="quiz"))
            except DomainError as exc:
                context["error"] = exc.message
            else:
                messages.success(request, _("导入成功:新增题目 %(n)d 道。") % {"n": count})
                return redirect("quiz:console_bank")
    return render(request, "quiz/console_bank_import.html", context)


@require_GET
def console_bank_report(request, token: str):
    request.scope.require_office()
    return import_report(request, token, kind="quiz", filename="题库导入错误报告.xlsx")


@require_GET
def console_bank_export(request):
    request.scope.require_office()
    return attachment(services.bank.questions_export(actor=request.user), "题库.xlsx")


@require_http_methods(["GET", "POST"])
def console_question(request, question_id: int):
    request.scope.require_office()
    question = selectors.console.question_or_404(question_id)
    if request.method == "POST":
        try:
            if "resolve" in request.POST:
                report = selectors.console.error_report_or_404(question=question,
                                                               report_id=request.POST.get("resolve"))
                services.error_report_resolve(report=report, actor=request.user)
            else:
                options = {k: request.POST.get(f"opt_{k}", "").strip() for k in services.bank.OPTION_KEYS}
                answer = request.POST.get("answer", "")
                services.bank.question_edit(question=question, stem=request.POST.get("stem", ""),
                                   options={k: v for k, v in options.items() if v},
                                   answer=answer if question.type != QuestionType.FILL else answer.split("|"),
                                   explanation=request.POST.get("explanation", ""),
                                   source=request.POST.get("source", ""), actor=request.user)
            messages.success(request, _("已保存。"))
            return redirect("quiz:console_question", question_id=question.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    current = question.current
    return render(request, "quiz/console_question.html", {
        "question": question, "current": current,
        "option_rows": [(k, current.options.get(k, "")) for k in services.bank.OPTION_KEYS],
        "answer_text": "|".join(current.answer) if question.type == QuestionType.FILL else "".join(current.answer),
        **selectors.console.question_history(question=question),
    })


# -- contests and rankings ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def console_contests(request):
    scope = request.scope
    scope.require_office()
    if request.method == "POST":
        try:
            campaign = campaign_for(org=scope.home_org)
            if campaign is None:
                raise Http404(_("没有可用的学习教育活动。"))
            kind = ContestKind(request.POST.get("kind") or ContestKind.DAILY)  # ValueError: not a kind
            services.contest_create(
                campaign=campaign, org=scope.home_org, kind=kind,
                title=request.POST.get("title", "").strip() or str(kind.label),
                starts_on=date.fromisoformat(request.POST["starts_on"]),
                ends_on=date.fromisoformat(request.POST["ends_on"]),
                questions_per_day=int(request.POST.get("questions_per_day") or 10),
                seconds_per_question=int(request.POST.get("seconds_per_question") or 30),
                top_n=int(request.POST.get("top_n") or 100), actor=request.user)
            messages.success(request, _("已创建竞赛。"))
            return redirect("quiz:console_contests")
        except (KeyError, ValueError):
            messages.error(request, _("请填写有效的日期和数字。"))
        except DomainError as exc:
            messages.error(request, exc.message)
    contests = selectors.console.contests_with_submissions(scope=scope)
    return render(request, "quiz/console_contests.html", {"contests": contests, "today": timezone.localdate(),
                                                          "kinds": ContestKind.choices})


@require_GET
def console_rankings(request):
    scope = request.scope
    scope.require_admin()
    org = scope.org_or_404(request.GET["org"]) if request.GET.get("org") else scope.home_org
    period = request.GET.get("period", "season")
    if period not in selectors.ranking.PERIODS:
        period = "season"
    contest = selectors.contest_for_org(org=org, open_only=False)
    context = {"org": org, "period": period, "contest": contest, "periods": selectors.ranking.PERIODS}
    if contest is not None:
        day = timezone.localdate()
        context.update(
            orgs=selectors.ranking.org_rankings(contest=contest, org=org, kind=period, day=day),
            board=selectors.ranking.leaderboard(contest=contest, org=org, kind=period, day=day, limit=100),
        )
    return render(request, "quiz/console_rankings.html", context)


# -- anti-cheat, selection, certificates ------------------------------------------


@require_http_methods(["GET", "POST"])
def console_anticheat(request):
    scope = request.scope
    scope.require_office()
    contests, contest = _picked_contest(request)
    if request.method == "POST" and contest is not None:
        try:
            member = scope.member_or_404(int(request.POST.get("member", 0)))
            services.anticheat.flag_create(contest=contest, member=member, reason=request.POST.get("reason", ""),
                                  actor=request.user)
            messages.success(request, _("已加入复核名单。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?contest={contest.pk}")
    context = {"contests": contests, "contest": contest}
    if contest is not None:
        context.update(report=selectors.anticheat.report(attempts=selectors.console.contest_attempts(scope=scope, contest=contest)),
                       flags=selectors.console.contest_flags(scope=scope, contest=contest))
    return render(request, "quiz/console_anticheat.html", context)


@require_POST
def console_flag(request, flag_id: int):
    scope = request.scope
    scope.require_office()
    flag = selectors.console.flag_or_404(scope=scope, flag_id=flag_id)
    try:
        services.anticheat.flag_review(flag=flag, status=request.POST.get("status", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('quiz:console_anticheat')}?contest={flag.contest_id}")


@require_http_methods(["GET", "POST"])
def console_selection(request):
    scope = request.scope
    scope.require_office()
    contests, contest = _picked_contest(request)
    if request.method == "POST" and contest is not None:
        try:
            made = selection_make(contest=contest, actor=request.user)
            messages.success(request, _("已冻结排名并评选出 %(n)d 名。") % {"n": len(made)})
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?contest={contest.pk}")
    return render(request, "quiz/console_selection.html", {
        "contests": contests, "contest": contest, **selectors.console.selection_of(scope=scope, contest=contest),
    })


@require_GET
def console_certificate_pdf(request, cert_serial: str):
    request.scope.require_office()
    cert = selectors.certificate_by_serial(cert_serial)
    if cert is None or not request.scope.reaches(cert.org):
        raise Http404(_("未找到该证书。"))
    return attachment(certificate_pdf(cert), f"{cert.serial}.pdf", "application/pdf")


@require_GET
def console_certificates_zip(request, contest_id: int):
    request.scope.require_office()
    contest = selectors.console.contest_or_404(scope=request.scope, contest_id=contest_id)
    certificates = selectors.console.contest_certificates(scope=request.scope, contest=contest)
    if not certificates:
        raise Http404(_("尚未发放证书。"))
    return attachment(certificates_zip(contest=contest, certificates=certificates, actor=request.user),
                 f"certificates-{contest.pk}.zip", "application/zip")


# -- 团队赛 (org admins) ----------------------------------------------------------------


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _picked(contests, wanted):
    return next((c for c in contests if str(c.pk) == str(wanted)), contests[0] if contests else None)




@require_http_methods(["GET", "POST"])
def console_teams(request):
    """GET: the teams of an org in reach (my org by default) for a contest, ranked with their
    scores. POST: register a team of an org in reach."""
    scope = request.scope
    scope.require_admin()
    contests = selectors.teams.contests_covering(paths=scope.org_paths, below=True)
    contest = _picked(contests, request.GET.get("contest") or request.POST.get("contest"))
    if request.method == "POST" and contest is not None:
        org = scope.org_or_404(request.POST.get("org", "").strip())
        try:
            team = services.teams.team_register(contest=contest, org=org, name=request.POST.get("name", ""),
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
        context["rows"] = selectors.teams.teams_board(contest=contest, org=org)
    return render(request, "quiz/console_teams.html", context)


@require_GET
def console_team(request, team_id: int):
    """A team: its members with their scores, and members of its org subtree who may join."""
    team = selectors.teams.team_or_404(scope=request.scope, team_id=team_id)
    q = request.GET.get("q", "").strip()
    return render(request, "quiz/console_team.html", {
        **selectors.teams.team_detail(team=team), "q": q, "candidates": selectors.teams.candidates(team=team, q=q),
    })


@require_POST
def console_team_members(request, team_id: int):
    """Add (`add`=member id) or remove (`remove`=member id) a member; out of reach is 404."""
    scope = request.scope
    team = selectors.teams.team_or_404(scope=scope, team_id=team_id)
    try:
        if _int(request.POST.get("add")):
            services.teams.team_member_add(team=team, member=scope.member_or_404(_int(request.POST["add"])),
                                  actor=request.user)
        elif _int(request.POST.get("remove")):
            membership = selectors.teams.membership_or_404(team=team, member_id=_int(request.POST["remove"]))
            services.teams.team_member_remove(membership=membership, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    query = f"?{urlencode({'q': request.POST['q']})}" if request.POST.get("q") else ""
    return redirect(reverse("quiz:console_team", args=[team.pk]) + query)
