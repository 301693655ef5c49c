"""Import of the hotline export: all or nothing with a row report, idempotent on 工单编号,
.xlsx and .csv, a saved column mapping per source, and the `import-requests` command."""

import io
from datetime import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from dangshi.core.tabular import ImportFailed, error_report
from dangshi.hotline.intake import requests_import, source_save
from dangshi.hotline.models import Action, Callback, Request, State, Update

HEADERS = ["工单编号", "来电时间", "诉求人", "联系电话", "诉求类型", "诉求内容", "地址", "问题分类", "承办单位", "协办单位"]
NOW = timezone.make_aware(datetime(2021, 12, 31, 12))


def rows(world, bad_time=False):
    return [
        ["GD20210301001", "2021-03-01 09:15:00", "王小明", "13700001111", "投诉", "小区门口路灯不亮", "和平路1号",
         "城市管理/市政设施/路灯", world.branch_a.name, ""],
        ["GD20210301002", "2021/03/01 10:20" if not bad_time else "2021-13-45 25:61", "李四", "13700002222", "求助",
         "家中停水两天", "和平路2号", "公用事业/供水/停水", world.branch_b.code, world.branch_a.name],
        ["GD20210301003", "2021-03-01 11:00", "", "", "咨询", "咨询医保报销政策", "", "社会保障/医保/报销", "", ""],
    ]


def xlsx(headers, data) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in data:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def csv_bytes(headers, data) -> io.BytesIO:
    import csv

    text = io.StringIO()
    w = csv.writer(text)
    w.writerow(headers)
    w.writerows(data)
    return io.BytesIO(text.getvalue().encode("utf-8-sig"))


def test_malformed_call_time_imports_nothing_and_names_the_row_then_the_fix_imports_once(hot):
    office = hot.scope("office")
    bad = xlsx(HEADERS, rows(hot.w, bad_time=True))
    with pytest.raises(ImportFailed) as failed:
        requests_import(file=bad, filename="export.xlsx", scope=office, now=NOW)
    errors = failed.value.errors
    assert [(e.row, e.column) for e in errors] == [(3, "来电时间")]
    assert "第 3 行" in str(errors[0])
    assert Request.objects.count() == 0 and Update.objects.count() == 0
    report = load_workbook(io.BytesIO(error_report(failed.value, file=bad, filename="export.xlsx")),
                           read_only=True).active
    report_rows = list(report.iter_rows(values_only=True))
    assert "来电时间" in report_rows[2][-1] and report_rows[1][-1] in ("", None)

    result = requests_import(file=xlsx(HEADERS, rows(hot.w)), filename="export.xlsx", scope=office, now=NOW)
    assert (result.rows, result.created, result.skipped) == (3, 3, 0)
    again = requests_import(file=xlsx(HEADERS, rows(hot.w)), filename="export.xlsx", scope=office, now=NOW)
    assert (again.created, again.skipped) == (0, 3)
    assert Request.objects.count() == 3
    assert Update.objects.count() == 3 + 2  # 3 receipts, 2 dispatches


def test_imported_rows_land_with_the_right_fields(hot):
    requests_import(file=xlsx(HEADERS, rows(hot.w)), filename="export.xlsx", scope=hot.scope("office"), now=NOW)
    lamp = Request.objects.get(number="GD20210301001")
    assert (lamp.kind, lamp.state, lamp.org, lamp.service.code) == ("complaint", State.DISPATCHED, hot.w.branch_a,
                                                                     "general")
    assert (lamp.category_1, lamp.category_2, lamp.category_3) == ("城市管理", "市政设施", "路灯")
    assert lamp.caller_name == "王小明" and lamp.caller_phone == "13700001111"
    assert lamp.due_at - lamp.dispatched_at == lamp.service.limit_hours * timezone.timedelta(hours=1)
    water = Request.objects.get(number="GD20210301002")
    assert water.service.code == "water" and water.org == hot.w.branch_b
    assert [c.org for c in water.co_orgs.all()] == [hot.w.branch_a]
    consult = Request.objects.get(number="GD20210301003")
    assert consult.state == State.RECEIVED and consult.org is None
    # encrypted at rest
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT caller_phone FROM hotline_request WHERE number = %s", ["GD20210301001"])
        assert "13700001111" not in c.fetchone()[0]


def test_csv_export_imports_too_and_is_idempotent(hot):
    office = hot.scope("office")
    result = requests_import(file=csv_bytes(HEADERS, rows(hot.w)), filename="export.csv", scope=office, now=NOW)
    assert result.created == 3
    assert requests_import(file=csv_bytes(HEADERS, rows(hot.w)), filename="export.csv", scope=office,
                           now=NOW).created == 0


def test_unknown_org_duplicate_number_and_bad_kind_are_row_errors(hot):
    data = rows(hot.w)
    data[0][8] = "不存在的单位"
    data[1][0] = data[0][0]
    data[2][4] = "闲聊"
    with pytest.raises(ImportFailed) as failed:
        requests_import(file=xlsx(HEADERS, data), filename="x.xlsx", scope=hot.scope("office"), now=NOW)
    found = {(e.row, e.column) for e in failed.value.errors}
    assert found == {(2, "承办单位"), (3, "工单编号"), (4, "诉求类型")}
    assert Request.objects.count() == 0


def test_handling_history_columns_become_update_rows_and_callbacks(hot):
    headers = [*HEADERS, "派单时间", "签收时间", "答复时间", "解决情况", "满意度", "办结时间"]
    data = [r + ["", "", "", "", "", ""] for r in rows(hot.w)]
    data[0][10:] = ["2021-03-01 09:30", "2021-03-01 10:00", "2021-03-03 16:00", "已解决", "满意", "2021-03-04 10:00"]
    requests_import(file=xlsx(headers, data), filename="x.xlsx", scope=hot.scope("office"), now=NOW)
    lamp = Request.objects.get(number="GD20210301001")
    assert lamp.state == State.CLOSED and (lamp.resolution, lamp.satisfaction) == ("resolved", "satisfied")
    assert list(lamp.updates.values_list("action", flat=True)) == [
        Action.RECEIVE, Action.DISPATCH, Action.SIGN, Action.REPLY, Action.CALLBACK, Action.CLOSE]
    assert Callback.objects.filter(request=lamp).count() == 1


def test_a_saved_column_mapping_reads_another_systems_headers(hot):
    source = source_save(name="市热线平台", header_aliases={"number": ["工单流水号"], "received_at": ["受理日期时间"],
                                                            "org": ["责任单位"]})
    headers = ["工单流水号", "受理日期时间", *HEADERS[2:8], "责任单位", "协办单位"]
    with pytest.raises(ImportFailed):  # without the mapping the headers are not recognised
        requests_import(file=xlsx(headers, rows(hot.w)), filename="x.xlsx", scope=hot.scope("office"), now=NOW)
    result = requests_import(file=xlsx(headers, rows(hot.w)), filename="x.xlsx", scope=hot.scope("office"),
                             source=source, now=NOW)
    assert result.created == 3


def test_an_org_admin_cannot_import(hot):
    from django.http import Http404

    with pytest.raises(Http404):
        requests_import(file=xlsx(HEADERS, rows(hot.w)), filename="x.xlsx", scope=hot.scope("admin_a"), now=NOW)


def test_import_requests_command(hot, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the report goes to the current directory
    good = tmp_path / "export.xlsx"
    good.write_bytes(xlsx(HEADERS, rows(hot.w)).getvalue())
    call_command("import-requests", str(good))
    call_command("import-requests", str(good))
    assert Request.objects.count() == 3
    bad = tmp_path / "bad.xlsx"
    data = rows(hot.w, bad_time=True)
    data[0][0] = "GD-NEW-1"
    bad.write_bytes(xlsx(HEADERS, data).getvalue())
    with pytest.raises(CommandError):
        call_command("import-requests", str(bad))
    assert (tmp_path / "bad-errors.xlsx").exists()
    assert Request.objects.count() == 3
