
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.core.downloads import attachment
from dangshi.core.import_reports import import_report
from dangshi.core.jobs import import_job_queue
from dangshi.orgs import roster, selectors
from dangshi.orgs.models import MemberCategory


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
        "ancestors": list(scope.orgs().filter(path__in=[org.path[:i] for i in range(4, len(org.path), 4)])),
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


@require_GET
def console_member(request, member_id: int):
    scope = request.scope
    scope.require_admin()
    return render(request, "orgs/console_member.html", {"member": scope.member_or_404(member_id)})


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
    return import_report(request, token, kind="roster", filename="roster-errors.xlsx")


@require_GET
def console_import_template(request):
    request.scope.require_admin()
    return attachment(roster.roster_template(), "roster-template.xlsx")


@require_GET
def console_export(request, code: str):
    scope = request.scope
    scope.require_admin()
    org = scope.org_or_404(code)
    return attachment(roster.roster_export(scope=scope, org=org, actor=request.user), f"roster-{org.code}.xlsx")
