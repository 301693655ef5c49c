import io

import pytest
from openpyxl import load_workbook

from dangshi.core.jobs import import_job_run
from dangshi.core.tabular import ImportFailed
from dangshi.orgs.models import Member
from dangshi.orgs.roster import roster_export, roster_import
from dangshi.orgs.scope import scope_for
from tests.orgs.roster_files import good_rows, roster_xlsx


def _import(world, rows, persona="office"):
    return roster_import(file=roster_xlsx(rows), scope=scope_for(world.users[persona]), actor=world.users[persona])


def test_good_file_imports_every_row(world):
    before = Member.objects.count()
    assert _import(world, good_rows("BRA", 5)) == 5
    assert Member.objects.count() == before + 5
    imported = Member.objects.get(name="导入党员1")
    assert imported.org == world.branch_a and imported.gender == "M"


def test_one_bad_checksum_imports_nothing_and_names_row_and_column(world):
    rows = good_rows("BRA", 4)
    bad = rows[2][4]
    rows[2][4] = bad[:17] + ("0" if bad[17] != "0" else "1")  # break the check character
    before = Member.objects.count()
    with pytest.raises(ImportFailed) as caught:
        _import(world, rows)
    assert Member.objects.count() == before
    [error] = caught.value.errors
    assert (error.row, error.column) == (4, "身份证号")  # header is row 1: the third data row is row 4
    assert "校验位" in error.message


def test_error_report_is_an_excel_file_with_an_error_column(world, client):
    rows = good_rows("BRA", 2)
    rows[1][5] = "12345"
    client.force_login(world.users["office"])
    response = client.post("/orgs/console/import/", {"file": roster_xlsx(rows)})
    assert response.status_code == 302  # queued: the worker checks it (tests/core/test_import_jobs.py)
    job = import_job_run(job_id=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    page = client.get(response["Location"]).content.decode()
    assert "手机号" in page
    token = job.report_token
    assert f"/orgs/console/import/report/{token}.xlsx" in page
    report = client.get(f"/orgs/console/import/report/{token}.xlsx")
    ws = load_workbook(io.BytesIO(report.content)).active
    header = [c.value for c in ws[1]]
    assert header[-1] == "错误"
    assert ws.cell(row=2, column=len(header)).value in (None, "")
    assert "手机号" in ws.cell(row=3, column=len(header)).value
    # The report is the uploader's alone (core.import_reports keys it by user), and it expires.
    other = world.client("admin_a")
    assert other.get(f"/orgs/console/import/report/{token}.xlsx").status_code == 404
    from django.core.cache import cache

    cache.clear()
    assert client.get(f"/orgs/console/import/report/{token}.xlsx").status_code == 404


def test_full_width_digits_and_stray_spaces_are_normalised(world):
    rows = good_rows("BRA", 1)
    rows[0][4] = rows[0][4].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    rows[0][5] = " 139 0000 0000 "
    rows[0][0] = " 导入 党员0 "
    rows[0][7] = " BRA "
    assert _import(world, rows) == 1
    member = Member.objects.get(name="导入党员0")
    assert member.phone == "13900000000" and member.id_number == good_rows("BRA", 1)[0][4]


@pytest.mark.parametrize(("column", "value", "expected"), [
    (1, "未知", "性别"),
    (2, "1985/13/40", "出生日期"),
    (4, "12345", "身份证号"),
    (5, "2345678901", "手机号"),
    (6, "群众", "人员类别"),
    (7, "NOPE", "所在组织编码"),
    (0, "", "姓名"),
])
def test_each_bad_field_is_named(world, column, value, expected):
    rows = good_rows("BRA", 1)
    rows[0][column] = value
    with pytest.raises(ImportFailed) as caught:
        _import(world, rows)
    assert {e.column for e in caught.value.errors} >= {expected}
    assert all(e.row == 2 for e in caught.value.errors if e.column == expected)


def test_duplicate_id_within_file_and_against_database(world):
    rows = good_rows("BRA", 2)
    rows[1][4] = rows[0][4]
    rows[1][2] = rows[0][2]
    with pytest.raises(ImportFailed) as caught:
        _import(world, rows)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "身份证号")]

    _import(world, good_rows("BRA", 1))
    with pytest.raises(ImportFailed) as caught:
        _import(world, good_rows("BRA", 1))
    assert "已在系统中" in caught.value.errors[0].message


def test_missing_column_is_reported_on_row_one(world):
    rows = good_rows("BRA", 1)
    buf = roster_xlsx(rows)
    from openpyxl import load_workbook as lw

    wb = lw(buf)
    wb.active.delete_cols(6)  # 手机号
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    with pytest.raises(ImportFailed) as caught:
        roster_import(file=out, scope=scope_for(world.users["office"]), filename="r.xlsx")
    assert [(e.row, e.column) for e in caught.value.errors] == [(1, "手机号")]


def test_org_admin_cannot_import_into_a_sibling_branch(world):
    with pytest.raises(ImportFailed) as caught:
        _import(world, good_rows("BRB", 1), persona="admin_a")
    assert caught.value.errors[0].column == "所在组织编码"


def test_export_is_the_subtree_roster_with_masked_personal_data(world):
    scope = scope_for(world.users["admin_a"])
    data = roster_export(scope=scope, org=world.branch_a, actor=world.users["admin_a"])
    ws = load_workbook(io.BytesIO(data)).active
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["甲支部党员", "哨兵甲乙丙"])
    cells = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row)
    assert "13912345678" not in cells and "139****5678" in cells


def test_import_members_command_imports_and_reports(world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the report goes to the current directory
    from django.core.management import CommandError, call_command

    good = tmp_path / "good.xlsx"
    good.write_bytes(roster_xlsx(good_rows("BRC", 2)).getvalue())
    call_command("import-members", str(good))
    assert Member.objects.filter(name__startswith="导入党员", org=world.branch_c).count() == 2

    rows = good_rows("BRC", 2)
    rows[0][3] = "1900-01-01"  # joined before birth
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(roster_xlsx(rows).getvalue())
    with pytest.raises(CommandError, match="未导入"):
        call_command("import-members", str(bad))
    assert (tmp_path / "bad-errors.xlsx").exists()
