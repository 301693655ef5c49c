"""Long imports in the worker with progress (core/jobs.py), through the roster upload."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from dangshi.core import progress
from dangshi.core.jobs import import_job_run
from dangshi.core.models import ImportJob
from dangshi.core.sheets import MARK_FILL
from dangshi.orgs.models import Member
from dangshi.orgs.roster import roster_import
from dangshi.orgs.scope import scope_for
from tests.factories import valid_id_number
from tests.orgs.roster_files import good_rows, roster_xlsx

PAGE = "/orgs/console/import/"


def many_rows(org_code: str, n: int) -> list[list]:
    rows = []
    for i in range(n):
        birth = date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        rows.append([f"批量党员{i}", "男", birth.isoformat(), f"{birth.year + 25}-07-01",
                     valid_id_number(birth, order=100 + i // 840), f"139{i:08d}", "普通党员", org_code, "否", "否", "否"])
    return rows


def _upload(world, rows, persona="admin_a", capture=None):
    client = world.client(persona)
    if capture is not None:
        with capture(execute=True):
            response = client.post(PAGE, {"file": roster_xlsx(rows)})
    else:
        response = client.post(PAGE, {"file": roster_xlsx(rows)})
    assert response.status_code == 302
    return client, response["Location"], ImportJob.objects.latest("pk")


def test_an_upload_is_queued_for_the_worker_and_its_page_polls(world, django_capture_on_commit_callbacks):
    client, url, job = _upload(world, good_rows("BRA", 3), capture=django_capture_on_commit_callbacks)
    assert url == f"/console/imports/{job.pk}/" and job.status == "queued" and job.kind == "roster"
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "dangshi.core.jobs.import_job_task" and task.args_kwargs["args"] == [job.pk]
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and f"/console/imports/{job.pk}/progress" in page
    assert Member.objects.filter(name__startswith="导入党员").count() == 0  # nothing written in the request


def test_the_worker_imports_it_whole_and_the_page_stops_polling(world):
    client, url, job = _upload(world, good_rows("BRA", 3))
    before = Member.objects.count()
    job = import_job_run(job_id=job.pk)
    assert (job.status, job.rows_read, job.rows_checked, job.rows_written) == ("done", 3, 3, 3)
    assert Member.objects.count() == before + 3
    assert not job.file  # the uploaded sheet (personal data) is not kept
    partial = client.get(f"{url}progress").content.decode()
    assert "hx-trigger" not in partial and "导入成功:新增党员 3 名。" in partial


def test_a_bad_row_imports_nothing_and_the_page_lists_it_with_the_report(world):
    rows = good_rows("BRA", 4)
    rows[3][3] = "1900-01-01"  # joined before birth
    client, url, job = _upload(world, rows)
    before = Member.objects.count()
    job = import_job_run(job_id=job.pk)
    assert job.status == "failed" and job.rows_written == 0 and Member.objects.count() == before
    assert (job.rows_read, job.rows_checked) == (4, 4)  # the counts of a failed run are kept
    assert job.errors == [{"row": 5, "column": "入党日期", "message": "入党日期应晚于出生日期。"}]
    page = client.get(url).content.decode()
    assert "入党日期应晚于出生日期。" in page
    report = client.get(f"/orgs/console/import/report/{job.report_token}.xlsx")
    ws = load_workbook(io.BytesIO(report.content)).active
    assert "入党日期应晚于出生日期。" in ws.cell(row=5, column=ws.max_column).value
    marked = [r for r in range(2, 6) if ws.cell(row=r, column=1).fill.fgColor.rgb == MARK_FILL.fgColor.rgb]
    assert marked == [5]  # the bad row is filled, the good ones are not


def test_a_job_is_its_uploaders_alone(world):
    _, url, job = _upload(world, good_rows("BRA", 1))
    for persona in ("admin_b", "office", "member_a", "outsider"):
        assert world.client(persona).get(url).status_code == 404
        assert world.client(persona).get(f"{url}progress").status_code == 404
    assert world.client(None).get(url).status_code == 302  # to the login page


def test_a_job_runs_once_even_if_its_task_is_delivered_twice(world):
    _, _, job = _upload(world, good_rows("BRA", 2))
    before = Member.objects.count()
    import_job_run(job_id=job.pk)
    assert import_job_run(job_id=job.pk).status == "done"
    assert Member.objects.count() == before + 2


def test_progress_is_reported_while_reading_checking_and_writing(world):
    seen = []
    with progress.reporting(lambda phase=None, **counts: seen.append(phase or counts)):
        roster_import(file=roster_xlsx(many_rows("BRA", 1200)), scope=scope_for(world.users["office"]))
    phases = [s for s in seen if isinstance(s, str)]
    assert phases == ["reading", "checking", "writing"]
    reads = [s["read"] for s in seen if isinstance(s, dict) and "read" in s]
    checks = [s["checked"] for s in seen if isinstance(s, dict) and "checked" in s]
    assert reads == [0, 500, 1000, 1200] and checks == [0, 500, 1000, 1200]


@pytest.mark.django_db(transaction=True)  # as in the worker: no transaction around the job
def test_progress_reaches_the_job_row_before_the_import_finishes(world, monkeypatch):
    _, _, job = _upload(world, many_rows("BRA", 1200))
    rows_seen = []
    real_check = Member.objects.filter

    def spy(*args, **kwargs):  # runs during checking: what a poller would read now
        rows_seen.append(ImportJob.objects.values_list("phase", "rows_read").get(pk=job.pk))
        return real_check(*args, **kwargs)

    monkeypatch.setattr(Member.objects, "filter", spy)
    import_job_run(job_id=job.pk)
    assert ("checking", 1200) in rows_seen  # a poller saw the rows read while the job was checking


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_the_cli_prints_progress_on_a_terminal(world, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(roster_xlsx(good_rows("BRC", 2)).getvalue())
    err = _Tty()
    call_command("import-members", str(good), stderr=err)
    assert "\rwriting  · read 2 · checked 2 · written 2" in err.getvalue()
