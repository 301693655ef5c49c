"""Console pages: coverage, gaps, sessions (with .xlsx batch entry), lecturers and letters, groups, calendars."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
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
from dangshi.outreach import coverage, imports, letter, selectors, services
from dangshi.outreach.forms import GroupForm, LecturerForm, SessionForm, lecturer_label
from dangshi.outreach.models import SessionFile
from dangshi.outreach.views.public import lecturer_feed, subscription

UPCOMING = 50  # rows of upcoming sessions/activities shown on a page (the feeds carry more)


def picked_org(request):
    code = request.GET.get("org")
    return request.scope.org_or_404(code) if code else request.scope.home_org


def picked_month(request) -> date:
    raw = request.GET.get("month", "")
    try:
        year, month = map(int, raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@require_GET
def console_coverage(request):
    scope = request.scope
    scope.require_admin()
    root, month = picked_org(request), picked_month(request)
    campaign = campaign_for(org=scope.home_org)
    target = coverage.target_for(campaign)
    months = coverage.months_ending(month, 12)
    matrix = coverage.coverage_matrix(root=root, months=months, target=target)
    end = coverage.month_add(month, 1) - timedelta(days=1)
    return render(request, "outreach/console_coverage.html", {
        "root": root, "month": month, "months": months, "matrix": matrix, "target": target,
        "street_rates": coverage.rates_by_street(matrix), "total_rate": coverage.rate_total(matrix),
        "zone_rates": coverage.rates_by_zone(campaign=campaign, root=root, month=month, target=target),
        "month_totals": coverage.session_totals(root=root, start=month, end=end),
        "year_totals": coverage.session_totals(root=root, start=months[0], end=end),
        "prev": coverage.month_add(month, -1), "next": coverage.month_add(month, 1),
    })


@require_GET
def console_gaps(request):
    scope = request.scope
    scope.require_admin()
    root, month = picked_org(request), picked_month(request)
    campaign = campaign_for(org=scope.home_org)
    target = coverage.target_for(campaign)
    gaps = coverage.coverage_gaps(root=root, month=month, target=target, campaign=campaign)
    return render(request, "outreach/console_gaps.html", {"root": root, "month": month, "target": target, "gaps": gaps})


def _require_staff(scope):
    if not (scope.is_admin or scope.is_lecturer):
        raise Http404(_("页面不存在。"))


@require_GET
def console_sessions(request):
    scope = request.scope
    _require_staff(scope)
    org = request.scope.org_or_404(request.GET["org"]) if request.GET.get("org") else None
    sessions = selectors.session_list(scope=scope, org=org, month=picked_month(request) if request.GET.get("month") else None)
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(request, "outreach/console_sessions.html", {"page": page, "org": org})


def _files(form) -> list[tuple[str, object]]:
    return [(SessionFile.Kind.PHOTO, f) for f in form.cleaned_data.get("photos") or []] + [
        (SessionFile.Kind.ATTACHMENT, f) for f in form.cleaned_data.get("attachments") or []]


@require_http_methods(["GET", "POST"])
def session_new(request, *, template="outreach/console_session_new.html"):
    """Log a session: the console page and the phone page (h5_session_new) share this view."""
    scope = request.scope
    _require_staff(scope)
    form = SessionForm(request.POST or None, request.FILES or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                scope=scope, actor=request.user, org=data["org"], starts_at=data["starts_at"], venue_kind=data["venue_kind"],
                place=data["place"], topic=data["topic"], lecturers=data["lecturers"], covered_orgs=data["covered_orgs"],
                audience_offline=data["audience_offline"], audience_online=data["audience_online"],
                online_platform=data["online_platform"], campaign=campaign_for(org=data["org"]), files=_files(form),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("已登记宣讲:%(t)s") % {"t": session.topic})
            return redirect("outreach:console_session", session_id=session.pk)
    return render(request, template, {"form": form})


@require_GET
def console_session_lecturers(request):
    """HTMX: the session form's lecturer options for the host org just picked (?org=<code>)."""
    scope = request.scope
    _require_staff(scope)
    org = selectors.loggable_orgs(scope=scope).filter(code=request.GET.get("org", "")).first()
    if org is None:
        raise Http404(_("未找到该组织。"))
    options = [(lecturer.pk, lecturer_label(lecturer)) for lecturer in selectors.lecturer_choices(org=org)]
    return render(request, "outreach/_lecturer_options.html", {"options": options})


@require_http_methods(["GET", "POST"])
def console_session(request, session_id: int):
    scope = request.scope
    _require_staff(scope)
    session = selectors.session_or_404(scope=scope, session_id=session_id)
    initial = {"org": session.org.code, "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
               "venue_kind": session.venue_kind, "place": session.place, "topic": session.topic,
               "lecturers": list(session.lecturers.all()), "covered_orgs": [c.org.code for c in session.covered.all()],
               "audience_offline": session.audience_offline, "audience_online": session.audience_online,
               "online_platform": session.online_platform}
    form = SessionForm(request.POST or None, request.FILES or None, scope=scope, initial=initial,
                       keep_lecturers=[lecturer.pk for lecturer in initial["lecturers"]])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_update(
                scope=scope, actor=request.user, session=session, starts_at=data["starts_at"], venue_kind=data["venue_kind"],
                place=data["place"], topic=data["topic"], lecturers=data["lecturers"], covered_orgs=data["covered_orgs"],
                audience_offline=data["audience_offline"], audience_online=data["audience_online"],
                online_platform=data["online_platform"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
        return redirect("outreach:console_session", session_id=session.pk)
    return render(request, "outreach/console_session.html", {"session": session, "form": form})


@require_http_methods(["GET", "POST"])
def console_session_import(request):
    scope = request.scope
    _require_staff(scope)
    context = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("请选择要导入的文件。")
        else:
            try:
                count = imports.session_import(file=upload, scope=scope, actor=request.user, filename=upload.name,
                                               campaign=campaign_for(org=scope.home_org))
            except ImportFailed as failure:
                context.update(import_failed(request, failure, upload, kind="outreach"))
            except DomainError as exc:
                context["error"] = exc.message
            else:
                messages.success(request, _("导入成功:新增宣讲 %(n)d 场。") % {"n": count})
                return redirect("outreach:console_sessions")
    return render(request, "outreach/console_session_import.html", context)


@require_GET
def console_session_template(request):
    _require_staff(request.scope)
    return attachment(imports.session_template(), "宣讲场次导入模板.xlsx")


@require_GET
def console_session_report(request, report_token: str):
    _require_staff(request.scope)
    return import_report(request, report_token, kind="outreach", filename="宣讲场次导入错误报告.xlsx")


@require_http_methods(["GET", "POST"])
def console_lecturers(request):
    scope = request.scope
    scope.require_admin()
    form = LecturerForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.lecturer_create(scope=scope, actor=request.user, org=data["org"], name=data["name"], kind=data["kind"],
                                     title=data["title"], specialty=data["specialty"])
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已登记宣讲员。"))
            return redirect("outreach:console_lecturers")
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.lecturer_list(scope=scope, q=q), 50).get_page(request.GET.get("page"))
    return render(request, "outreach/console_lecturers.html", {"page": page, "q": q, "form": form})


@require_POST
def console_lecturer_appoint(request, lecturer_id: int):
    scope = request.scope
    scope.require_admin()
    lecturer = selectors.lecturer_or_404(scope=scope, lecturer_id=lecturer_id)
    try:
        services.lecturer_appoint(scope=scope, actor=request.user, lecturer=lecturer, on=timezone.localdate())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发聘书。"))
    return redirect("outreach:console_lecturers")


@require_POST
def console_lecturer_retire(request, lecturer_id: int):
    scope = request.scope
    scope.require_admin()
    lecturer = selectors.lecturer_or_404(scope=scope, lecturer_id=lecturer_id)
    try:
        services.lecturer_retire(scope=scope, actor=request.user, lecturer=lecturer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已解聘:%(n)s") % {"n": lecturer.name})
    return redirect("outreach:console_lecturers")


@require_GET
def console_lecturer_letter(request, lecturer_id: int):
    scope = request.scope
    scope.require_admin()
    lecturer = selectors.lecturer_or_404(scope=scope, lecturer_id=lecturer_id)
    if not lecturer.letter_no:
        raise Http404(_("该宣讲员尚未发聘书。"))
    root = lecturer.org
    pdf = letter.letter_pdf(lecturer, issuer=root.name, group_name=lecturer.group.name if lecturer.group else "")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=letter-{lecturer.pk}.pdf"
    return response


@require_http_methods(["GET", "POST"])
def console_groups(request):
    scope = request.scope
    scope.require_admin()
    campaign = campaign_for(org=scope.home_org)
    form = GroupForm(request.POST or None, scope=scope, campaign=campaign)
    if request.method == "POST" and campaign is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_create(scope=scope, actor=request.user, campaign=campaign, org=scope.home_org, name=data["name"],
                                  parent=data["parent"], zone=data["zone"])
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已组建宣讲组。"))
            return redirect("outreach:console_groups")
    month = picked_month(request)
    target = coverage.target_for(campaign)
    root = scope.home_org
    rates = {r.code: r for r in coverage.rates_by_zone(campaign=campaign, root=root, month=month, target=target)} if root else {}
    tree = selectors.group_tree(scope=scope, campaign=campaign) if campaign else []
    return render(request, "outreach/console_groups.html", {
        "tree": [(g, depth, rates.get(str(g.pk))) for g, depth in tree], "month": month, "target": target,
        "campaign": campaign, "form": form,
    })


@require_GET
def console_calendar(request):
    """An org's upcoming sessions and activities, with its feed's subscription link."""
    scope = request.scope
    scope.require_admin()
    org = picked_org(request)
    sessions, activities = selectors.org_calendar(org=org, since=timezone.now())
    return render(request, "outreach/console_calendar.html", {
        "org": org, "sessions": sessions[:UPCOMING], "activities": activities[:UPCOMING],
        "feed": subscription(request, reverse("outreach_calendar_org", kwargs={"org_code": org.code})),
    })


@require_GET
def console_lecturer(request, lecturer_id: int):
    """One lecturer: appointment, upcoming sessions, and the personal feed's link to hand over."""
    scope = request.scope
    scope.require_admin()
    lecturer = selectors.lecturer_or_404(scope=scope, lecturer_id=lecturer_id)
    return render(request, "outreach/console_lecturer.html", {
        "lecturer": lecturer, "sessions": selectors.lecturer_calendar(lecturer=lecturer, since=timezone.now())[:UPCOMING],
        "session_count": lecturer.sessions.count(), "feed": lecturer_feed(request, lecturer) if lecturer.active else None,
    })
