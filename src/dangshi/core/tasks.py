"""Tasks of the platform itself, run by whichever worker the task backend has
(`dangshi db_worker` by default, `dangshi rqworker` on RQ)."""

from datetime import timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone

from dangshi.core.models import PeriodicRun
from dangshi.core.periodic import JOBS_BY_NAME

HEARTBEAT_KEY = "worker:heartbeat"


@task
def run_periodic(name: str) -> str:
    """Run one periodic job (core/periodic.py) in the worker; returns its job name."""
    job = JOBS_BY_NAME[name]
    if job.command:
        call_command(job.command, *job.args, verbosity=0)
    else:
        worker_heartbeat()
        # The heartbeat fires 1,440 times a day: keep a week of the scheduler's record.
        PeriodicRun.objects.filter(fired_at__lt=timezone.now() - timedelta(days=7)).delete()
    return name


def worker_heartbeat() -> float:
    """Record that a worker ran a task just now (read by /healthz); returns the timestamp."""
    now = timezone.now().timestamp()
    cache.set(HEARTBEAT_KEY, now, timeout=24 * 3600)
    return now


@task
def ping(value: str) -> str:
    """A task that touches nothing but the cache: proves a backend's worker runs tasks."""
    worker_heartbeat()
    return value
