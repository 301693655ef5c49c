"""The scheduler's tick: fire each periodic job of core/periodic.py once per due time."""

import os
import socket
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangshi.core.models import PeriodicRun
from dangshi.core.periodic import PERIODIC_JOBS, Job
from dangshi.core.tasks import run_periodic


def scheduler_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def tick(*, now: datetime | None = None, jobs: tuple[Job, ...] = PERIODIC_JOBS,
         fired_by: str | None = None) -> list[PeriodicRun]:
    """Fire every job that is due and not yet fired; return the runs this call fired."""
    now = now or timezone.now()
    now = timezone.localtime(now if timezone.is_aware(now) else timezone.make_aware(now))
    fired = []
    for job in jobs:
        due = job.when.latest(now)
        if now - due > job.when.grace:
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=job.name, due_at=due, fired_by=fired_by or scheduler_id())
                # Enqueued inside the transaction: if the broker refuses, the run is not recorded
                # and the next tick tries again.
                run.task_id = run_periodic.enqueue(job.name).id
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another scheduler fired it for this due time
        fired.append(run)
    return fired
