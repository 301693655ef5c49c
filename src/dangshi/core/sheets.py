"""The one spreadsheet writer: every .xlsx (and .csv) dangshi hands out is written here.

An office prints what it downloads, so each sheet gets what a careful clerk would set by
hand: column widths from the content (a CJK character counts as two), a bold header row
that stays frozen and carries an autofilter, dates stored as dates, rates as percentages,
ID and phone numbers as text (Excel would turn an 18-digit ID into 110101198506010000), and
a print setup (A4, landscape when the sheet is wide, fit to the page width, the header row
repeated on every page, the title in the page header and the page number in the footer).

Every text cell is neutralised against formula injection (OWASP "CSV Injection"): a value
beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``,
and in .xlsx it is stored as a string cell, so neither Excel nor LibreOffice evaluates
what a member typed as a name, or what an uploaded sheet held, when the file is opened.

Rows are streamed (openpyxl's write-only mode): widths come from the header and the first
`WIDTH_SAMPLE` rows, which are held back until the columns are set.
"""

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

TEXT, DATE, DATETIME, NUMBER, PERCENT, AUTO = "text", "date", "datetime", "number", "percent", "auto"
FORMATS = {TEXT: "@", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", PERCENT: "0.0%"}
WIDTH_SAMPLE = 1000
MIN_WIDTH, MAX_WIDTH = 6, 60
# Above this many character widths a sheet no longer fits an A4 portrait page readably.
PORTRAIT_WIDTH = 100
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Headers whose column holds identifiers that must stay text (codes with leading zeros,
# 18-digit IDs, phone numbers); headers of date columns. Callers may always say the kind.
_TEXT_HEADER = re.compile(r"身份证|手机|电话|编号|编码|工单|证件|号码")
_DATE_HEADER = re.compile(r"(日期|时限)$")
_DATETIME_HEADER = re.compile(r"时间$")
_PERCENT_HEADER = re.compile(r"[((]%[))]$")

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E7EEF7")
MARK_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Col:
    """A column: its header, its kind (`auto` infers it from the header), a list of allowed
    values (written as a drop-down), and a note for a template's 填写说明 sheet."""

    header: str
    kind: str = AUTO
    choices: tuple[str, ...] = ()
    note: str = ""
    required: bool = False


@dataclass
class Sheet:
    title: str
    columns: Sequence[Col | str]
    rows: Iterable[Sequence[Any]] = ()
    # Rows (1-based data row numbers) to fill in the warning colour: an error report's bad rows.
    marked_rows: set[int] = field(default_factory=set)
    validation_rows: int = 0  # >0: drop-downs cover this many rows under the header (templates)
    header: bool = True  # False: a free text sheet (填写说明) with no header row or filter


def neutralise(value: Any) -> Any:
    """A text value made inert for spreadsheets (OWASP CSV injection): a leading ``'`` before
    ``=``, ``+``, ``-``, ``@``, tab or CR. Numbers, dates and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def display_width(value: Any) -> int:
    """Width in Excel character units: wide (CJK, full-width) characters count two."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        value = f"{value:,.1f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    text = str(value)
    longest = max(text.split("\n"), key=len) if "\n" in text else text
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def column_kind(col: Col) -> str:
    if col.kind != AUTO:
        return col.kind
    if _TEXT_HEADER.search(col.header):
        return TEXT
    if _DATE_HEADER.search(col.header):
        return DATE
    if _DATETIME_HEADER.search(col.header):
        return DATETIME
    if _PERCENT_HEADER.search(col.header):
        return PERCENT
    return AUTO


def percent_header(header: str) -> str:
    """"答题正确率(%)" → "答题正确率": the cell's format shows the %."""
    return _PERCENT_HEADER.sub("", header)


def _as_col(c: Col | str) -> Col:
    return c if isinstance(c, Col) else Col(str(c))


def _value(kind: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind == TEXT:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return neutralise(value if isinstance(value, str) else str(value))
    if kind == PERCENT and isinstance(value, int | float) and not isinstance(value, bool):
        return value / 100  # rates are computed in percentage points (71.1); the cell shows 71.1%
    if kind == DATE and isinstance(value, datetime):
        return value.date()
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; the value is in local time already
    return neutralise(value)


def _cell_format(kind: str, value: Any) -> str | None:
    if kind in FORMATS:
        return FORMATS[kind]
    if isinstance(value, datetime):
        return FORMATS[DATETIME]
    if isinstance(value, date):
        return FORMATS[DATE]
    return None


def _write_sheet(wb: Workbook, spec: Sheet) -> None:
    ws = wb.create_sheet(title=spec.title[:31])
    columns = [_as_col(c) for c in spec.columns]
    kinds = [column_kind(c) for c in columns]
    headers = [percent_header(c.header) if k == PERCENT else c.header for c, k in zip(columns, kinds, strict=True)]
    rows = iter(spec.rows)
    sample = [[_value(kinds[i] if i < len(kinds) else AUTO, v) for i, v in enumerate(r)]
              for r in itertools.islice(rows, WIDTH_SAMPLE)]
    ncols = max([len(headers), *(len(r) for r in sample)]) if (headers or sample) else 0
    widths = []
    for i in range(ncols):
        head = display_width(headers[i]) + 4 if i < len(headers) and spec.header else 0  # bold, filter button
        body = max((display_width(r[i]) for r in sample if i < len(r)), default=0)
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, max(head, body + 2))))
    for i, width in enumerate(widths, 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = width
        if i <= len(kinds) and kinds[i - 1] in FORMATS:
            dim.number_format = FORMATS[kinds[i - 1]]  # so what a user types below the rows keeps the kind
    if spec.header:
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
    _print_setup(ws, spec.title, sum(widths))
    if spec.validation_rows:
        _validations(ws, columns, spec.validation_rows)

    if spec.header:
        header_cells = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=neutralise(h))
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            header_cells.append(cell)
        ws.append(header_cells)
    count = 0
    for count, row in enumerate(itertools.chain(sample, ([_value(kinds[i] if i < len(kinds) else AUTO, v)
                                                          for i, v in enumerate(r)] for r in rows)), 1):
        cells = []
        for i, value in enumerate(row):
            kind = kinds[i] if i < len(kinds) else AUTO
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the value holds
            fmt = _cell_format(kind, value)
            if fmt:
                cell.number_format = fmt
            if not spec.header:
                cell.alignment = WRAP
            if count in spec.marked_rows:
                cell.fill = MARK_FILL
            cells.append(cell)
        ws.append(cells)
    if spec.header and ncols:
        ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{count + 1}"


def _print_setup(ws, title: str, total_width: int) -> None:
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if total_width > PORTRAIT_WIDTH else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def _validations(ws, columns: list[Col], rows: int) -> None:
    for i, col in enumerate(columns, 1):
        if not col.choices:
            continue
        listed = ",".join(col.choices)
        dv = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=not col.required,
                            showDropDown=False, showErrorMessage=True)
        dv.errorTitle, dv.error = col.header, "请从下拉列表中选择:" + "、".join(col.choices)
        letter = get_column_letter(i)
        dv.add(f"{letter}2:{letter}{rows + 1}")
        ws.data_validations.append(dv)


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx of the given sheets, in order."""
    wb = Workbook(write_only=True)
    for spec in sheets:
        _write_sheet(wb, spec)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A UTF-8 CSV (with BOM, so Excel reads the Chinese) whose every text cell is neutralised
    like the .xlsx cells; dates as 2021-07-01."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v.isoformat() if isinstance(v, date) else v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def instructions_sheet(title: str, columns: Sequence[Col], notes: Sequence[str] = ()) -> Sheet:
    """A template's 填写说明 sheet: general notes, then one line per column (required or not,
    allowed values, format)."""
    lines: list[list[str]] = [[title], [""]]
    lines += [[n] for n in notes]
    lines.append([""])
    for col in columns:
        kind = column_kind(col)
        parts = ["必填" if col.required else "选填"]
        if kind == TEXT:
            parts.append("文本格式,请勿改为数字")
        elif kind == DATE:
            parts.append("日期,如 2021-07-01")
        elif kind == DATETIME:
            parts.append("日期和时间,如 2021-07-01 09:30")
        if col.choices:
            parts.append("可选:" + "、".join(col.choices))
        if col.note:
            parts.append(col.note)
        lines.append([f"{col.header}:" + ";".join(parts) + "。"])
    return Sheet(title="填写说明", columns=[Col("说明", kind=TEXT)], rows=lines, header=False)
