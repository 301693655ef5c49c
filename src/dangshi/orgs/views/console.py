
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.core.downloads import attachment
from dangshi.core.import_reports import import_report
from dangshi.core.jobs import import_job_queue
from dangshi.errors import DomainError
from dangshi.orgs import roster, selectors, services
from dangshi.orgs.choices import MemberCategory


@require_GET
def home(request):
    """Send each role to its place: staff to the console, members to the H5 home."""
    scope = request.scope
    if scope.is_admin or scope.is_lecturer:
        return redirect("console_home")
    return redirect("member_home")


@require_GET
def console_home(request):
    scope = request.scope
    if not (scope.is_admin or scope.is_lecturer):
        return redirect("member_home")
    org = scope.home_org
    figures = {
        "orgs": scope.orgs().count(),
        "grassroots": scope.orgs().filter(grassroots=True).count(),
        "members": scope.members().filter(active=True).count(),
    }
    return render(request, "core/console.html", {"org": org, "campaign": selectors.campaign_for(org=org),
                                                 "figures": figures})


@require_GET
def org_picker(request):
    """HTMX: the children of one org in the tree picker (the scope's roots with no ?org=)."""
    scope = request.scope
    scope.require_admin()
    code = request.GET.get("org")
    org = scope.org_or_404(code) if code else None
    children = selectors.org_children(scope=scope, org=org)
    return render(request, "core/_org_picker.html", {"children": children, "target": request.GET.get("target", "")})


def _picked_org(request):
    scope = request.scope
    code = request.GET.get("org")
    return scope.org_or_404(code) if code else scope.home_org


@require_GET
def console_orgs(request):
    scope = request.scope
    scope.require_admin()
    org = _picked_org(request)
    children = selectors.org_children(scope=scope, org=org)
    return render(request, "orgs/console_orgs.html", {
        "org": org,
        "children": children,
        "ancestors": list(scope.orgs().filter(path__in=selectors.path_chain(org.path, include_self=False))),
        "member_count": selectors.subtree_member_count(org=org),
    })


@require_GET
def console_members(request):
    scope = request.scope
    scope.require_admin()
    org = _picked_org(request)
    q = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    members = selectors.member_list(scope=scope, org=org, q=q, category=category)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(request, "orgs/console_members.html", {
        "org": org, "page": page, "q": q, "category": category, "categories": MemberCategory.choices,
    })


@require_http_methods(["GET", "POST"])
def console_member(request, member_id: int):
    scope = request.scope
    scope.require_admin()
    member = scope.member_or_404(member_id)
    link = None
    if request.method == "POST":
        try:
            link = services.member_reset_link(scope=scope, member=member, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "orgs/console_member.html",
                  {"member": member, "account": selectors.member_account(member=member), "link": link})


@require_http_methods(["GET", "POST"])
def console_import(request):
    scope = request.scope
    scope.require_admin()
    context = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("请选择要导入的文件。")
        else:
            # Checked and written in the worker; the job page shows its progress (core/jobs.py).
            job = import_job_queue(kind="roster", user=request.user, upload=upload)
            return redirect("core:import_job", job_id=job.pk)
    return render(request, "orgs/console_import.html", context)


@require_GET
def console_import_report(request, token: str):
    request.scope.require_admin()
    return import_report(request, token, kind="roster", filename="党员名册导入错误报告.xlsx")


@require_GET
def console_import_template(request):
    request.scope.require_admin()
    return attachment(roster.roster_template(), "党员名册导入模板.xlsx")


@require_GET
def console_export(request, code: str):
    scope = request.scope
    scope.require_admin()
    org = scope.org_or_404(code)
    return attachment(roster.roster_export(scope=scope, org=org, actor=request.user), f"党员名册-{org.name}.xlsx")


@require_http_methods(["GET", "POST"])
def console_activation(request):
    """The branch's activation sheet: one-time links and QR codes for its pending members."""
    scope = request.scope
    scope.require_admin()
    org = _picked_org(request) if request.method == "GET" else scope.org_or_404(request.POST.get("org", ""))
    if request.method == "POST":
        try:
            body, filename = services.activation_sheet(scope=scope, org=org, fmt=request.POST.get("format", "pdf"),
                                                       actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            kind = "application/pdf" if filename.endswith(".pdf") else "text/csv; charset=utf-8"
            return attachment(body, filename, kind)
    return render(request, "orgs/console_activation.html", {
        "org": org, "accounts": selectors.account_counts(org=org)})
