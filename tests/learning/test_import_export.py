"""Column import (all or nothing, row report) and export as .xlsx."""

import io

import openpyxl
import pytest

from dangshi.core.tabular import ImportFailed
from dangshi.errors import Refused
from dangshi.learning.models import Item, ItemGram
from dangshi.learning.services import imports
from dangshi.orgs.scope import scope_for


def _xlsx(rows, headers=("标题", "正文", "来源", "标签", "月", "日", "年份")) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "today.xlsx"
    return out


def _import(world, column, file, persona="office"):
    return imports.column_import(scope=scope_for(world.users[persona]), actor=world.users[persona], column=column,
                                 org=world.root if persona == "office" else world.branch_a, file=file)


def test_good_file_lands_as_drafts_with_tags_and_index(world, cols):
    file = _xlsx([("遵义会议召开", "1935年1月15日至17日\n确立了正确路线", "《中国共产党简史》", "长征、转折", 1, 15, 1935),
                  ("中共一大开幕", "1921年7月23日", "《中国共产党简史》", "", 7, 23, 1921)])
    assert _import(world, cols["today"], file) == 2
    item = Item.objects.get(title="遵义会议召开")
    assert (item.status, item.month, item.day, item.event_year) == ("draft", 1, 15, 1935)
    assert item.body == "<p>1935年1月15日至17日</p><p>确立了正确路线</p>"
    assert sorted(t.name for t in item.tags.all()) == ["转折", "长征"]
    assert ItemGram.objects.filter(item=item, gram="遵义").exists()


def test_bad_rows_reject_the_whole_file_with_a_row_report(world, cols):
    file = _xlsx([("好的一行", "正文", "来源", "", 1, 15, 1935),
                  ("缺日期", "正文", "来源", "", "", "", 1935),
                  ("错日期", "正文", "来源", "", 2, 30, 1935),
                  ("好的一行", "正文", "来源", "", 1, 15, 1935)])
    with pytest.raises(ImportFailed) as failure:
        _import(world, cols["today"], file)
    errors = [(e.row, e.column) for e in failure.value.errors]
    assert errors == [(3, "月"), (4, "日"), (5, "标题")]
    assert not Item.objects.exists()


def test_question_column_needs_answers(world, cols):
    file = _xlsx([("中共一大何时召开?", "1921年7月"), ("没有答案?", "")], headers=("问题", "答案"))
    with pytest.raises(ImportFailed) as failure:
        _import(world, cols["questions"], file)
    assert [(e.row, e.column) for e in failure.value.errors] == [(3, "答案")]


def test_member_cannot_import(world, cols):
    with pytest.raises(Refused):
        imports.column_import(scope=scope_for(world.users["member_a"]), actor=world.users["member_a"],
                              column=cols["today"], org=world.branch_a, file=_xlsx([]))


def test_export_round_trips_through_import(world, cols):
    _import(world, cols["today"], _xlsx([("遵义会议召开", "正文", "《简史》", "长征", 1, 15, 1935)]))
    data = imports.column_export(scope=scope_for(world.users["office"]), actor=world.users["office"],
                                 column=cols["today"])
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(ws.values)
    assert rows[0][:7] == ("标题", "正文", "答案", "来源", "标签", "月", "日")
    assert rows[1][:8] == ("遵义会议召开", "正文", None, "《简史》", "长征", 1, 15, 1935)
    Item.objects.all().delete()
    file = io.BytesIO(data)
    file.name = "export.xlsx"
    assert _import(world, cols["today"], file) == 1
    # admin_b's export of 支部B's items does not include the district's
    data = imports.column_export(scope=scope_for(world.users["admin_b"]), actor=world.users["admin_b"],
                                 column=cols["today"])
    assert len(list(openpyxl.load_workbook(io.BytesIO(data)).active.values)) == 1


def test_import_page_reports_errors(world, cols):
    client = world.client("office")
    file = _xlsx([("缺日期", "正文", "来源", "", "", "", 1935)])
    response = client.post("/learning/console/import/", {"column": "today", "file": file})
    body = response.content.decode()
    assert response.status_code == 200 and "须填写月和日" in body
    assert client.get("/learning/console/export.xlsx?column=today").status_code == 200
