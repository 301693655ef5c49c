from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from dangshi.core import jobs
from dangshi.core.health import health
from dangshi.core.observe import metrics_response
from dangshi.orgs import selectors as org_selectors


@require_GET
def home(request):
    """Send each role to its place: staff to the console, members to the H5 home."""
    scope = request.scope
    if scope.is_admin or scope.is_lecturer:
        return redirect("core:console")
    return redirect("core:member_home")


@require_GET
def console(request):
    scope = request.scope
    if not (scope.is_admin or scope.is_lecturer):
        return redirect("core:member_home")
    org = scope.home_org
    campaign = org_selectors.campaign_current()
    figures = {
        "orgs": scope.orgs().count(),
        "grassroots": scope.orgs().filter(grassroots=True).count(),
        "members": scope.members().filter(active=True).count(),
    }
    return render(request, "core/console.html", {"org": org, "campaign": campaign, "figures": figures})


@require_GET
def member_home(request):
    scope = request.scope
    member = scope.members().select_related("org").filter(pk=scope.member_id).first() if scope.is_member else None
    campaign = org_selectors.campaign_current()
    return render(request, "core/member_home.html", {"member": member, "campaign": campaign})


@require_GET
def org_picker(request):
    """HTMX: the children of one org in the tree picker (the scope's roots with no ?org=)."""
    scope = request.scope
    scope.require_admin()
    code = request.GET.get("org")
    org = scope.org_or_404(code) if code else None
    children = org_selectors.org_children(scope=scope, org=org)
    return render(request, "core/_org_picker.html", {"children": children, "target": request.GET.get("target", "")})


@login_not_required
@require_GET
def healthz(request):
    """JSON for load balancers: 503 only when this server's database or cache fails (core/health.py)."""
    status, checks = health()
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "down" else 200)


@login_not_required
@require_GET
def metrics(request):
    """Prometheus text, only with METRICS=1 and to METRICS_ALLOWED_IPS (else 404)."""
    return metrics_response(request)


def _import_job_context(request, job_id: int) -> dict:
    request.scope.require_admin()
    job = jobs.import_job_for(user=request.user, job_id=job_id)
    if job is None:
        raise Http404
    # The bar: rows checked of rows read while checking, full when done; while reading (the
    # total is not known yet) and writing (one transaction) it shows activity, the table counts.
    bar = None
    if job.finished:
        bar = (1, 1)
    elif job.phase == "checking" and job.rows_read:
        bar = (job.rows_checked, job.rows_read)
    return {"job": job, "spec": jobs.KINDS[job.kind], "bar": bar}


@require_GET
def import_job(request, job_id: int):
    """A queued import's progress, for its uploader (404 for anyone else)."""
    return render(request, "core/import_job.html", _import_job_context(request, job_id))


@require_GET
def import_job_progress(request, job_id: int):
    return render(request, "core/_import_job_progress.html", _import_job_context(request, job_id))
