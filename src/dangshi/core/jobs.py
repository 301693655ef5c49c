"""Long imports in the worker, with progress (rows read, checked, written) for the page.

An app registers how to run each kind of upload (`register("roster", ImportKind(...))`, in
its AppConfig.ready). Its upload page calls `import_job_queue(...)`: the file is saved to the
default storage (shared by every server: S3 or a shared volume) and `import_job_task` is
enqueued after commit; the page redirects to `core:import_job`, which polls (HTMX) until the
job is done. The worker runs the kind's `run(job=, file=, user=)`, which raises ImportFailed
or DomainError or returns the success message: the import is still one transaction, so it
lands whole or not at all.

Progress is written to the job row while the import reads and checks (outside its
transaction, so the page sees it); rows_written is set when the transaction has committed.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.tasks import task

from dangshi.core import progress
from dangshi.core.import_reports import ERRORS_SHOWN, report_store
from dangshi.core.models import ImportJob, ImportStatus
from dangshi.core.tabular import ImportFailed
from dangshi.errors import DomainError, Invalid


@dataclass(frozen=True)
class ImportKind:
    run: Callable[..., str]  # run(*, job, file, user) -> the success message; raises ImportFailed / DomainError
    page: str  # url name of the upload page (the job page links back to it)
    report: str = ""  # url name of the error-report download, taking the token
    done: str = ""  # url name to go on to after a success


KINDS: dict[str, ImportKind] = {}


def register(kind: str, spec: ImportKind) -> None:
    KINDS[kind] = spec


class _ProgressWriter:
    """Writes counts to the job row at most every `every` seconds, never inside a transaction
    (a write there would be invisible to the page until commit, and on SQLite would block)."""

    def __init__(self, job: ImportJob, every: float = 0.5):
        self.job_id, self.every, self.last, self.counts = job.pk, every, 0.0, {}

    def __call__(self, phase: str | None = None, **counts: int):
        if phase:
            self.counts["phase"] = phase
        self.counts.update({f"rows_{k}": v for k, v in counts.items()})
        now = time.monotonic()
        if (phase or now - self.last >= self.every) and not connection.in_atomic_block:
            self.flush()
            self.last = now

    def flush(self):
        if self.counts:
            ImportJob.objects.filter(pk=self.job_id).update(**self.counts)


def import_job_queue(*, kind: str, user, upload) -> ImportJob:
    if kind not in KINDS:
        raise Invalid(f"unknown import kind {kind!r}")
    with transaction.atomic():
        job = ImportJob(kind=kind, user=user, filename=upload.name[:255])
        job.file.save(upload.name, upload, save=False)
        job.save()
        transaction.on_commit(lambda: import_job_task.enqueue(job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run one queued import job (in the worker); the job row records the outcome."""
    updated = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING)
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if not updated:
        return job  # already run (a task delivered twice)
    spec = KINDS[job.kind]
    writer = _ProgressWriter(job)
    try:
        with progress.reporting(writer), job.file.open("rb") as fh:
            try:
                message = spec.run(job=job, file=fh, user=job.user)
            finally:
                writer.flush()  # the last counts, also of a failed run
    except ImportFailed as failure:
        job.refresh_from_db()
        job.status, job.message = ImportStatus.FAILED, str(failure.message)
        job.errors = [{"row": e.row, "column": e.column, "message": str(e.message)}
                      for e in failure.errors[:ERRORS_SHOWN]]
        if spec.report and failure.table is not None:
            with job.file.open("rb") as fh:
                job.report_token = report_store(failure, fh, kind=job.kind, user_id=job.user_id,
                                                filename=job.filename)
    except DomainError as exc:
        job.refresh_from_db()
        job.status, job.message = ImportStatus.FAILED, str(exc.message)
    else:
        job.refresh_from_db()
        job.status, job.message = ImportStatus.DONE, message
    job.phase = ""
    job.save()
    job.file.delete(save=True)  # the upload is not kept once imported (personal data)
    return job


def import_job_for(*, user, job_id: int) -> ImportJob | None:
    """The job, for its uploader only."""
    return ImportJob.objects.filter(pk=job_id, user=user).first()


@task
def import_job_task(job_id: int) -> str:
    """The worker's side of `import_job_queue`; returns the job's final status."""
    return import_job_run(job_id=job_id).status
