"""`dangshi scheduler`: enqueue every periodic job of core/periodic.py on its schedule.

Run one beside the workers (`make run` does). Starting a second one is harmless: each job
fires once per due time (the PeriodicRun unique constraint).
"""

import signal
import time
from datetime import datetime

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from dangshi.core.periodic import PERIODIC_JOBS
from dangshi.core.scheduler import tick


class Command(BaseCommand):
    help = "Enqueue every periodic job on its schedule (see docs/deploy.md)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15, help="seconds between ticks (default 15)")
        parser.add_argument("--once", action="store_true", help="one tick, then exit")
        parser.add_argument("--now", help="tick as if it were this ISO time (tests, catching up)")
        parser.add_argument("--list", action="store_true", help="print the jobs and exit")

    def handle(self, *args, interval, once, now, list, **options):  # noqa: A002
        if list:
            for job in PERIODIC_JOBS:
                target = " ".join(("dangshi", job.command, *job.args)) if job.command else "(task)"
                self.stdout.write(f"{job.name:20} {job.when!s:16} {target}")
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        at = datetime.fromisoformat(now) if now else None
        while not stopping:
            for run in tick(now=at):
                self.stdout.write(f"{run.job} due {run.due_at.isoformat()} enqueued {run.task_id}")
            self.stdout.flush()
            if once:
                return
            close_old_connections()  # a long-lived process: drop a connection the database closed
            slept = 0.0
            while slept < interval and not stopping:
                time.sleep(0.5)
                slept += 0.5
