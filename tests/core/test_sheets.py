"""The one spreadsheet writer: layout, formats, print setup and formula-injection neutralisation."""

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from dangshi.core import sheets


def _sheet(columns, rows, **kw):
    return load_workbook(io.BytesIO(sheets.workbook([sheets.Sheet(title="党员名册", columns=columns, rows=rows, **kw)]))).active


@pytest.mark.parametrize("value", ["=1+1", "+86 138", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","点我")'])
def test_text_starting_with_a_formula_character_gets_a_quote_and_stays_text(value):
    ws = _sheet(["姓名"], [[value]])
    cell = ws["A2"]
    assert cell.value == "'" + value and cell.data_type == "s"


def test_numbers_dates_and_plain_text_are_not_touched():
    assert sheets.neutralise(-5) == -5 and sheets.neutralise("张三") == "张三" and sheets.neutralise(None) is None


def test_widths_count_cjk_characters_double():
    assert sheets.display_width("中共测试区委员会") == 16 and sheets.display_width("HX0001") == 6
    ws = _sheet(["组织", "编码"], [["中共测试区委员会第一党支部", "HX0001"]])
    assert ws.column_dimensions["A"].width == 28 and ws.column_dimensions["B"].width == 8


def test_header_is_bold_frozen_filtered_and_repeated_when_printed():
    ws = _sheet(["姓名", "性别"], [["张三", "男"], ["李四", "女"]])
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:B3" and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddHeader.center.text == "党员名册" and "&P" in ws.oddFooter.center.text


def test_wide_sheets_print_landscape_narrow_ones_portrait():
    assert _sheet(["姓名"], [["张三"]]).page_setup.orientation == "portrait"
    wide = _sheet([f"指标名称第{i}项" for i in range(15)], [[1] * 15])
    assert wide.page_setup.orientation == "landscape"


def test_ids_and_phones_are_text_dates_are_dates_rates_are_percentages():
    ws = _sheet(["身份证号", "手机号", "出生日期", "来电时间", "答题正确率(%)"],
                [[110101198506010016, 13800001234, date(1985, 6, 1), datetime(2021, 4, 1, 9, 30), 71.1]])
    id_cell, phone, born, called, rate = ws[2]
    assert id_cell.value == "110101198506010016" and id_cell.number_format == "@"
    assert phone.value == "13800001234" and phone.number_format == "@"
    assert born.is_date and born.number_format == "yyyy-mm-dd"
    assert called.is_date and called.number_format == "yyyy-mm-dd hh:mm"
    assert rate.value == pytest.approx(0.711) and rate.number_format == "0.0%" and ws["E1"].value == "答题正确率"


def test_fixed_value_columns_get_a_drop_down():
    ws = _sheet([sheets.Col("性别", choices=("男", "女"))], [["男"]], validation_rows=100)
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"男,女"' and str(dv.sqref) == "A2:A101"


def test_csv_cells_are_neutralised_and_excel_reads_the_chinese():
    data = sheets.csv_bytes(["姓名", "入党日期"], [['=HYPERLINK("http://x")', date(2010, 7, 1)], ["-1", 3]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["姓名", "入党日期"], ['\'=HYPERLINK("http://x")', "2010-07-01"], ["'-1", "3"]]
