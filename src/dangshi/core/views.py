from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangshi.core import jobs
from dangshi.core.health import health
from dangshi.core.observe import metrics_response


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
