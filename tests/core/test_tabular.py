"""core.tabular's streaming reader `iter_rows`: read_table's contract, each cell cleaned once,
bad cells reported without stopping the row; and `clean` is `text`, only cheaper."""

import csv
import io
import sys
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from dangshi.core import tabular
from dangshi.core.tabular import Column, ImportFailed, RowError, clean, compact_cleaned, iter_rows, read_table
from dangshi.errors import Invalid

COLUMNS = [
    Column("code", "编码", parse=compact_cleaned, aliases=("代码",)),
    Column("name", "名称"),
    Column("kind", "类型", parse=tabular.choice({"甲": "a", "乙": "b"}, key=compact_cleaned)),
    Column("note", "备注", required=False, optional_column=True),
    Column("extra", "附加", required=False, optional_column=True),
]


def csv_file(rows, encoding="utf-8-sig") -> io.BytesIO:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return io.BytesIO(out.getvalue().encode(encoding))


def xlsx_file(rows) -> io.BytesIO:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def read(file, filename="t.csv", columns=COLUMNS, **kw):
    errors: list[RowError] = []
    rows = list(iter_rows(file, columns, errors=errors, filename=filename, **kw))
    return rows, errors


@given(st.text(alphabet=st.characters(max_codepoint=sys.maxunicode), max_size=12))
def test_clean_is_text_for_every_string(value):
    assert clean(value) == tabular.text(value)


@pytest.mark.parametrize("value", [None, 3, 3.0, 2.5, datetime(2021, 7, 1, 9, 30)])
def test_clean_is_text_for_typed_cells(value):
    assert clean(value) == tabular.text(value)


def test_rows_come_with_their_spreadsheet_numbers_and_cleaned_values():
    file = csv_file([
        ["代码", "名称", "类型", "备注"],
        [" A 01 ", "ＡＢＣ  路灯", "甲", ""],
        ["", "", "", ""],  # a blank row between data: skipped, not an error
        ["B02", "第二\n行", " 乙 ", "说明"],
        ["", "", "", ""],
    ])
    rows, errors = read(file)
    assert errors == []
    assert rows == [
        (2, {"code": "A01", "name": "ABC 路灯", "kind": "a", "note": None, "extra": None}),
        (4, {"code": "B02", "name": "第二 行", "kind": "b", "note": "说明", "extra": None}),
    ]


def test_bad_cells_are_listed_and_their_rows_still_yielded():
    file = csv_file([["编码", "名称", "类型"], ["A1", "", "丙"], ["A2", "好", "甲"]])
    rows, errors = read(file)
    assert [(e.row, e.column) for e in errors] == [(2, "名称"), (2, "类型")]
    assert "不能为空" in errors[0].message and "丙" in errors[1].message
    assert rows[0] == (2, {"code": "A1", "name": None, "kind": None, "note": None, "extra": None})
    assert rows[1][0] == 3


def test_a_row_blank_in_the_mapped_columns_but_not_elsewhere_is_reported():
    file = csv_file([["编码", "名称", "类型", "其他"], ["", "", "", "有内容"]])
    rows, errors = read(file)
    assert len(rows) == 1 and {e.column for e in errors} == {"编码", "名称", "类型"}


def test_a_saved_header_mapping_is_used():
    file = csv_file([["流水号", "名称", "类型"], ["A1", "好", "甲"]])
    rows, errors = read(file, header_aliases={"code": ["流水号"]})
    assert errors == [] and rows[0][1]["code"] == "A1"


def test_missing_columns_empty_files_and_a_blank_header_row_raise_before_any_row():
    with pytest.raises(ImportFailed) as failed:
        read(csv_file([["编码"], ["A1"]]))
    assert [(e.row, e.column) for e in failed.value.errors] == [(1, "名称"), (1, "类型")]
    for rows, message in (([], "文件是空的"), ([["", ""], ["", ""]], "文件是空的"),
                          ([["", ""], ["A1", "好"]], "第一行应为列名")):
        with pytest.raises(ImportFailed) as failed:
            read(csv_file(rows))
        assert message in failed.value.errors[0].message


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 2)
    with pytest.raises(ImportFailed) as failed:
        read(csv_file([["编码", "名称", "类型"], *[[f"A{i}", "好", "甲"] for i in range(3)]]))
    assert "上限" in failed.value.errors[0].message
    rows, _errors = read(csv_file([["编码", "名称", "类型"], *[[f"A{i}", "好", "甲"] for i in range(2)], ["", "", ""]]))
    assert len(rows) == 2


def test_xlsx_cells_reach_parsers_typed_and_gbk_csv_is_read():
    when = datetime(2021, 7, 1, 9, 30)
    columns = [Column("at", "时间", parse=tabular.parse_datetime), Column("n", "数量", parse=tabular.parse_int)]
    rows, errors = read(xlsx_file([["时间", "数量"], [when, 3]]), filename="t.xlsx", columns=columns)
    assert errors == [] and rows[0][1]["at"].replace(tzinfo=None) == when and rows[0][1]["n"] == 3
    rows, errors = read(csv_file([["编码", "名称", "类型"], ["A1", "路灯", "甲"]], encoding="gbk"))
    assert errors == [] and rows[0][1]["name"] == "路灯"


@pytest.mark.parametrize("origin", ["A1", "B2"])
def test_xlsx_cells_are_read_as_openpyxl_read_them(origin):
    """The reader is calamine (fast); numbers, blanks, dates and the used range's origin come out as
    openpyxl's read-only mode gave them, which every import's parsers were written against."""
    from datetime import date

    from openpyxl import load_workbook

    wb = Workbook()
    ws = wb.active
    top = ws[origin].row
    left = ws[origin].column
    rows = [["电话", "金额", "日期", "时间", "空", "名称", "是否"],
            [13800000001, 1.5, date(2021, 7, 1), datetime(2021, 7, 1, 9, 30), None, "路灯", True],
            [None, None, None, None, None, "仅名称", None]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.cell(row=top + r, column=left + c, value=value)
    out = io.BytesIO()
    wb.save(out)
    out.seek(5)  # a stream not at its start (an upload read once already) is read from its start
    expected = [list(r) for r in load_workbook(io.BytesIO(out.getvalue()), read_only=True,
                                               data_only=True).worksheets[0].iter_rows(values_only=True)]
    cells = tabular._read_cells(out, "t.xlsx")
    assert cells == expected
    data = cells[top][left - 1:]  # the row under the header, from the origin's column
    assert [type(v) for v in data] == [int, float, datetime, datetime, type(None), str, bool]


def test_unreadable_files_name_the_file_field():
    for file, name in ((io.BytesIO(b"x"), "t.txt"), (io.BytesIO(b"not a zip"), "t.xlsx"),
                       (io.BytesIO("编码".encode("utf-16")), "t.csv")):
        with pytest.raises(Invalid) as failed:
            read(file, filename=name)
        assert failed.value.field == "file"


def test_read_table_and_iter_rows_agree_on_single_line_cells():
    data = [["编码", "名称", "类型", "备注"], ["A 1", "Ｘ  路", "甲", ""], ["", "", "", ""], ["B2", "y", "乙", "z"]]
    table = read_table(csv_file(data), COLUMNS, filename="t.csv")
    rows, errors = read(csv_file(data))
    assert errors == []
    assert [{**values, "_row": n} for n, values in rows] == table.rows
