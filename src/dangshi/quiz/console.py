"""Office console pages: the bank, contests, rankings by org, the anti-cheat report, the
selection and its certificates."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.core.downloads import attachment
from dangshi.core.import_reports import import_failed, import_report
from dangshi.core.tabular import ImportFailed
from dangshi.errors import DomainError
from dangshi.orgs.models import Campaign
from dangshi.quiz import anticheat, bank, ranking, selectors, services
from dangshi.quiz.certificates import certificate_pdf, certificates_zip, selection_make
from dangshi.quiz.models import (
    Certificate,
    Contest,
    ContestKind,
    ErrorReport,
    FlagStatus,
    Question,
    QuestionType,
    ReviewFlag,
)


def _contest_or_404(request, contest_id: int) -> Contest:
    contest = selectors.contests_in_scope(request.scope).filter(pk=contest_id).first()
    if contest is None:
        raise Http404(_("未找到该竞赛。"))
    return contest


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
    questions = Question.objects.select_related("current", "category").annotate(
        open_reports=Count("error_reports", filter=Q(error_reports__resolved_at__isnull=True)))
    if q:
        questions = questions.filter(current__stem__icontains=q)
    if qtype:
        questions = questions.filter(type=qtype)
    page = Paginator(questions.order_by("-open_reports", "id"), 50).get_page(request.GET.get("page"))
    return render(request, "quiz/console_bank.html", {
        "page": page, "q": q, "type": qtype, "types": QuestionType.choices,
        "open_reports": ErrorReport.objects.filter(resolved_at__isnull=True).count(),
    })


@require_http_methods(["GET", "POST"])
def console_bank_import(request):
    request.scope.require_office()
    context = {"headers": bank.HEADERS}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("请选择要导入的文件。")
        else:
            try:
                count = bank.questions_import(file=upload, actor=request.user, filename=upload.name)
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
    return attachment(bank.questions_export(actor=request.user), "题库.xlsx")


@require_http_methods(["GET", "POST"])
def console_question(request, question_id: int):
    request.scope.require_office()
    question = Question.objects.select_related("current", "category").filter(pk=question_id).first()
    if question is None:
        raise Http404(_("未找到该题目。"))
    if request.method == "POST":
        try:
            if "resolve" in request.POST:
                report = question.error_reports.filter(pk=request.POST.get("resolve")).first()
                if report is None:
                    raise Http404(_("未找到该纠错。"))
                services.error_report_resolve(report=report, actor=request.user)
            else:
                options = {k: request.POST.get(f"opt_{k}", "").strip() for k in bank.OPTION_KEYS}
                answer = request.POST.get("answer", "")
                bank.question_edit(question=question, stem=request.POST.get("stem", ""),
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
        "option_rows": [(k, current.options.get(k, "")) for k in bank.OPTION_KEYS],
        "answer_text": "|".join(current.answer) if question.type == QuestionType.FILL else "".join(current.answer),
        "versions": question.versions.order_by("-number"),
        "reports": question.error_reports.select_related("member").order_by("resolved_at", "-created_at"),
    })


# -- contests and rankings ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def console_contests(request):
    scope = request.scope
    scope.require_office()
    if request.method == "POST":
        try:
            campaign = Campaign.objects.filter(root__in=scope.orgs()).order_by("-starts_on").first()
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
    contests = selectors.contests_in_scope(scope).annotate(
        submitted=Count("attempts", filter=Q(attempts__submitted_at__isnull=False)))
    return render(request, "quiz/console_contests.html", {"contests": contests, "today": timezone.localdate(),
                                                          "kinds": ContestKind.choices})


@require_GET
def console_rankings(request):
    scope = request.scope
    scope.require_admin()
    org = scope.org_or_404(request.GET["org"]) if request.GET.get("org") else scope.home_org
    period = request.GET.get("period", "season")
    if period not in ranking.PERIODS:
        period = "season"
    contest = selectors.contest_for_org(org=org, open_only=False)
    context = {"org": org, "period": period, "contest": contest, "periods": ranking.PERIODS}
    if contest is not None:
        day = timezone.localdate()
        context.update(
            orgs=ranking.org_rankings(contest=contest, org=org, kind=period, day=day),
            board=ranking.leaderboard(contest=contest, org=org, kind=period, day=day, limit=100),
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
            anticheat.flag_create(contest=contest, member=member, reason=request.POST.get("reason", ""),
                                  actor=request.user)
            messages.success(request, _("已加入复核名单。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?contest={contest.pk}")
    context = {"contests": contests, "contest": contest}
    if contest is not None:
        attempts = scope.filter(contest.attempts.all())
        context.update(report=anticheat.report(attempts=attempts),
                       flags=scope.filter(contest.flags.select_related("member", "org")).order_by("status", "-id"))
    return render(request, "quiz/console_anticheat.html", context)


@require_POST
def console_flag(request, flag_id: int):
    scope = request.scope
    scope.require_office()
    flag = scope.filter(ReviewFlag.objects.select_related("contest")).filter(pk=flag_id).first()
    if flag is None:
        raise Http404(_("未找到该复核记录。"))
    try:
        anticheat.flag_review(flag=flag, status=request.POST.get("status", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{_url('quiz:console_anticheat')}?contest={flag.contest_id}")


def _url(name):
    from django.urls import reverse

    return reverse(name)


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
    certificates = (scope.filter(contest.certificates.select_related("member", "org")) if contest
                    else Certificate.objects.none())
    held = contest.flags.filter(status__in=[FlagStatus.OPEN, FlagStatus.EXCLUDED]).count() if contest else 0
    return render(request, "quiz/console_selection.html", {
        "contests": contests, "contest": contest, "certificates": certificates, "held": held,
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
    contest = _contest_or_404(request, contest_id)
    certificates = list(request.scope.filter(contest.certificates.select_related(
        "member", "org", "contest__campaign", "contest__org")))
    if not certificates:
        raise Http404(_("尚未发放证书。"))
    return attachment(certificates_zip(contest=contest, certificates=certificates, actor=request.user),
                 f"certificates-{contest.pk}.zip", "application/zip")
