"""The same tasks on the two installed backends: django-tasks-db and RQ on Redis.

    .venv/bin/python bench/task_brokers.py [--tasks 500]

Enqueues `--tasks` `core.tasks.ping` tasks (each one cache write) from this process, then runs
one worker in batch mode (`db_worker --batch` / `rqworker --burst`) until the queue is empty.
Prints the enqueue time and the worker's wall time (process start included, measured apart
with an empty queue and subtracted). Needs a migrated PostgreSQL database (default
bench_roster_job, from bench/roster_import_job.py) and the Redis on 127.0.0.1:6379 (db 12).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS = "redis://127.0.0.1:6379/12"
WORKERS = {
    "django_tasks_db.DatabaseBackend": ["db_worker", "--batch"],
    "django_tasks_rq.RQBackend": ["rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default"],
    # RQ's default worker forks a child per job; SimpleWorker runs jobs in its own process.
    "django_tasks_rq.RQBackend+SimpleWorker": ["rqworker", "--burst", "--job-class", "django_tasks_rq.Job",
                                               "--worker-class", "rq.worker.SimpleWorker", "default"],
}


def one(backend: str, tasks: int, db: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
           "TASKS_BACKEND": backend.split("+")[0],
           "REDIS_URL": REDIS, "DJANGO_SETTINGS_MODULE": "dangshi.settings", "REQUEST_LOG": "0"}
    enqueue = ("import time, django; django.setup(); from dangshi.core.tasks import ping; "
               f"t = time.monotonic(); [ping.enqueue(str(i)) for i in range({tasks})]; "
               "print(f'{time.monotonic() - t:.2f}')")
    worker = [sys.executable, "-m", "dangshi.cli", *WORKERS[backend]]

    def run_worker() -> float:
        started = time.monotonic()
        subprocess.run(worker, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.monotonic() - started

    idle = run_worker()  # start-up and shut-down alone
    enqueued = float(subprocess.run([sys.executable, "-c", enqueue], env=env, cwd=ROOT, check=True,
                                    capture_output=True, text=True).stdout.strip())
    busy = run_worker()
    print(f"{backend:34} enqueue {tasks} in {enqueued:5.2f} s · worker ran them in {busy - idle:5.2f} s "
          f"({tasks / max(busy - idle, 0.01):6.0f} tasks/s; start-up {idle:.1f} s apart)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--db", default="bench_roster_job")
    parser.add_argument("--only", help="one backend key of WORKERS")
    args = parser.parse_args()
    subprocess.run(["redis-cli", "-n", "12", "flushdb"], check=True, stdout=subprocess.DEVNULL)
    for backend in [args.only] if args.only else WORKERS:
        one(backend, args.tasks, args.db)


if __name__ == "__main__":
    main()
