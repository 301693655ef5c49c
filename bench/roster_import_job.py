"""A district roster (11,543 members) uploaded in the console and imported by the worker.

    .venv/bin/python bench/roster_import_job.py [--rows 11543]

Runs against PostgreSQL (database bench_roster_job, created afresh): one district with 534
branches and an office user; an .xlsx of `--rows` members is queued exactly as the console's
upload does (`core.jobs.import_job_queue`), a real `dangshi db_worker` runs it, and this
script polls the job row every 0.5 s as the page's progress bar does, printing what the page
would show. Then the same file again with one bad row near its end: nothing may land.
"""

import argparse
import io
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "bench_roster_job"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database  # noqa: E402


def roster(rows: int, bad_row: int | None = None, people: int = 0) -> io.BytesIO:
    """`rows` distinct members (birth dates repeat every 2,100 rows, the sequence number does not);
    `people` shifts the sequence numbers to another set of people."""
    from openpyxl import Workbook

    from dangshi.orgs.roster import HEADERS
    from tests.factories import valid_id_number

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADERS)
    for i in range(rows):
        birth = date(1950 + i % 50, 1 + i % 12, 1 + i % 28)
        joined = "1900-01-01" if i == bad_row else f"{birth.year + 25}-07-01"
        ws.append([f"党员{i:05d}", "男" if i % 2 else "女", birth.isoformat(), joined,
                   valid_id_number(birth, order=100 + people + i // 2100), f"139{people + i:08d}", "普通党员",
                   f"B{i % 534:03d}", "否", "否", "否"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "roster.xlsx"
    return out


def run_job(upload, user) -> tuple:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangshi.core.jobs import import_job_queue
    from dangshi.core.models import ImportJob

    job = import_job_queue(kind="roster", user=user,
                           upload=SimpleUploadedFile("roster.xlsx", upload.getvalue()))
    started = time.monotonic()
    worker = subprocess.Popen([sys.executable, "-m", "dangshi.cli", "db_worker", "--batch"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    last = None
    while True:
        job = ImportJob.objects.get(pk=job.pk)
        shown = (job.status, job.phase, job.rows_read, job.rows_checked, job.rows_written)
        if shown != last:
            print(f"  {time.monotonic() - started:6.1f} s  {job.status:8} {job.phase or '-':8} "
                  f"read {job.rows_read:>6,}  checked {job.rows_checked:>6,}  written {job.rows_written:>6,}")
            last = shown
        if job.finished:
            break
        time.sleep(0.5)
    worker.wait(60)
    return job, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=11_543)
    args = parser.parse_args()
    ensure_database(fresh=True)
    import django

    django.setup()
    from django.core.management import call_command

    from dangshi.accounts.models import User
    from dangshi.orgs.models import Member, Org, OrgKind, Role, RoleBinding

    call_command("migrate", verbosity=0)
    root = Org.objects.create(code="ROOT", name="区委", kind=OrgKind.DISTRICT, path="0001", depth=0)
    Org.objects.bulk_create([Org(code=f"B{i:03d}", name=f"第{i}支部", kind=OrgKind.BRANCH, parent=root,
                                 path=f"0001{i + 1:04d}", depth=1) for i in range(534)])
    office = User.objects.create_user("office")  # never logs in: the job runs as this user
    RoleBinding.objects.create(user=office, role=Role.OFFICE, org=root)

    print(f"good file, {args.rows:,} rows:")
    job, seconds = run_job(roster(args.rows), office)
    print(f"  → {job.status}: {job.message} members now {Member.objects.count():,} ({seconds:.1f} s)")
    bad = int(args.rows * 0.95)
    print(f"{args.rows:,} other people, row {bad + 2} joined before birth:")
    job, seconds = run_job(roster(args.rows, bad_row=bad, people=100), office)
    print(f"  → {job.status}: {job.message} errors {len(job.errors)} shown; members still "
          f"{Member.objects.count():,} ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
