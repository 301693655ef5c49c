"""Spreadsheet import and export shared by every module.

An import reads the whole file, parses every cell, and either returns every row or
raises ImportFailed with all the errors (row number as the user sees it in Excel,
column header, message). Nothing is written until the whole file is good.

Two ways to read: `read_table` (the whole file in memory, parsers receive the raw cells,
the failure carries the table for `error_report`) for the everyday lists, and `iter_rows`
(rows streamed as read, each cell cleaned once, bad cells collected while reading goes on)
for exports of a hundred thousand rows and more.
"""

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineWorkbook

from dangshi.core import progress, sheets
from dangshi.errors import Invalid

MAX_ROWS = 300_000
# The largest upload read, by format, checked before a byte is parsed: a year's 12345 export
# (205,500 rows) is 21.7 MB as .xlsx and 51.9 MB as CSV (docs/perf/hotline.md); the issue-17
# attack was a 25 MB, 1,000,000-row .xlsx that took 4 minutes and 3.5 GB before the row check.
MAX_BYTES = {".xlsx": 24 * 1024 * 1024, ".csv": 60 * 1024 * 1024}  # iter_rows: streamed (the hotline)
# read_table keeps every row (rosters, question banks, sites, tasks...: thousands of rows, not
# hundreds of thousands); its cap keeps the largest allowed file under 300 MB (docs/security.md).
MAX_BYTES_TABLE = {".xlsx": 4 * 1024 * 1024, ".csv": 16 * 1024 * 1024}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = True
    parse: Callable[[Any], Any] | None = None
    aliases: tuple[str, ...] = ()
    # A column that may be absent from the file altogether (its cells are then blank).
    optional_column: bool = False


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("第 %(row)d 行") % {"row": self.row}
        return f"{where}「{self.column}」:{self.message}" if self.column else f"{where}:{self.message}"


@dataclass
class Table:
    headers: list[str]
    raw_rows: list[list[Any]]  # as read, for the error report
    rows: list[dict] = field(default_factory=list)  # parsed, with "_row" = spreadsheet row number
    errors: list[RowError] = field(default_factory=list)


class ImportFailed(Invalid):
    """The file as a whole is refused; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError], table: Table | None = None):
        first = errors[0] if errors else None
        super().__init__(
            _("文件有 %(n)d 处错误,未导入任何数据。") % {"n": len(errors)},
            field=first.column if first else None,
            row=first.row if first else None,
            code="import_failed",
        )
        self.errors = errors
        self.table = table

    def as_dict(self) -> dict:
        body = super().as_dict()
        body["errors"] = [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors]
        return body


# -- cell parsers --------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def text(value: Any) -> str:
    """NFKC-normalised text (full-width digits and letters → half-width), trimmed, inner runs of spaces folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()


def compact(value: Any) -> str:
    """Text with every space removed: for codes, numbers and names."""
    return _SPACES.sub("", text(value))


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = compact(value)
    for pattern in _DATE_PATTERNS:
        if m := pattern.match(raw):
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise Invalid(_("日期格式不正确(应为 2021-07-01):%(v)s") % {"v": raw})


def parse_datetime(value: Any) -> datetime:
    from django.utils import timezone

    if isinstance(value, datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    raw = text(value)
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return timezone.make_aware(datetime.strptime(raw, fmt))
        except ValueError:
            continue
    raise Invalid(_("时间格式不正确(应为 2021-07-01 09:30):%(v)s") % {"v": raw})


def parse_bool(value: Any) -> bool:
    raw = compact(value).lower()
    if raw in {"是", "y", "yes", "true", "1", "√", "✓"}:
        return True
    if raw in {"否", "n", "no", "false", "0", ""}:
        return False
    raise Invalid(_("应填“是”或“否”:%(v)s") % {"v": raw})


def parse_int(value: Any) -> int:
    raw = compact(value)
    try:
        return int(float(raw)) if raw else 0
    except ValueError:
        raise Invalid(_("应为整数:%(v)s") % {"v": raw}) from None


def choice(mapping: dict[str, Any], *, key: Callable[[Any], str] = compact) -> Callable[[Any], Any]:
    """A parser accepting the keys of `mapping` (after compaction: `key`, which for
    `iter_rows` may be the cheaper `compact_cleaned`)."""

    def parse(value: Any) -> Any:
        raw = key(value)
        if raw in mapping:
            return mapping[raw]
        allowed = "、".join(mapping)
        raise Invalid(_("取值“%(v)s”无效,可选:%(allowed)s") % {"v": raw, "allowed": allowed})

    return parse


# -- reading -------------------------------------------------------------------


def _decode_csv(file) -> str:
    data = file.read() if hasattr(file, "read") else Path(file).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid(_("无法识别 CSV 文件的编码(应为 UTF-8 或 GBK)。"), field="file")


def _iter_cells(file, filename: str, caps: dict[str, int] = MAX_BYTES) -> Iterator[list[Any]]:
    """The first sheet's (or the CSV's) rows as lists of cells, one at a time; a file over its
    format's cap in `caps` is refused before it is parsed."""
    name = filename.lower()
    _check_size(file, caps[".csv" if name.endswith(".csv") else ".xlsx"])
    if name.endswith(".csv"):
        yield from csv.reader(io.StringIO(_decode_csv(file)))
        return
    if not name.endswith((".xlsx", ".xlsm")):
        raise Invalid(_("只接受 .xlsx 或 .csv 文件。"), field="file")
    # calamine (Rust) reads a 205,500-row export in 5 s where openpyxl's read-only mode took 70
    # (docs/perf/hotline.md); `_cell` gives its values the types openpyxl gave, which the parsers
    # expect. openpyxl still writes every workbook (exports, templates, error reports).
    try:
        if hasattr(file, "read"):
            if hasattr(file, "seek"):
                file.seek(0)
            sheet = CalamineWorkbook.from_filelike(file).get_sheet_by_index(0)
        else:
            sheet = CalamineWorkbook.from_path(str(file)).get_sheet_by_index(0)
    except Exception:
        raise Invalid(_("无法读取该 Excel 文件,请确认是 .xlsx 格式。"), field="file") from None
    # Rows and columns count from A1, as openpyxl's did: calamine's rows already start at row 1,
    # its columns at the used range's first (tests/core/test_tabular.py holds both to openpyxl).
    left = (sheet.start or (0, 0))[1]
    for row in sheet.iter_rows():
        yield [None] * left + [_cell(value) for value in row]


def _check_size(file, cap: int) -> None:
    size = getattr(file, "size", None)
    if size is None:
        try:
            size = Path(file).stat().st_size if not hasattr(file, "read") else None
        except (OSError, TypeError):
            size = None
    if size is None and hasattr(file, "seek") and hasattr(file, "tell"):
        at = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(at)
    if size is not None and size > cap:
        raise Invalid(_("文件过大:不能超过 %(mb)d MB。") % {"mb": cap // (1024 * 1024)}, field="file")


def _cell(value: Any) -> Any:
    """A calamine value as openpyxl read it: empty is None, a whole number an int (a phone
    number or an ID stays digits, not 13800000001.0), a date a datetime at midnight."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if type(value) is date:
        return datetime(value.year, value.month, value.day)
    return value


def _read_cells(file, filename: str) -> list[list[Any]]:
    """Every row, but never more than the header, MAX_ROWS and one: reading stops there (the
    caller refuses the file as too long without holding the rest of it)."""
    return list(itertools.islice(_iter_cells(file, filename, MAX_BYTES_TABLE), MAX_ROWS + 2))


def _column_index(headers: list[str], columns: list[Column], header_aliases: dict | None) -> dict[str, int]:
    """Column key → position in the header row; ImportFailed naming every missing column."""
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for col in columns:
        names = (col.header, *col.aliases, *((header_aliases or {}).get(col.key, ()) or ()))
        found = next((headers.index(n) for n in names if n in headers), None)
        if found is None:
            if not col.optional_column:
                errors.append(RowError(1, col.header, _("缺少必需的列。")))
        else:
            index[col.key] = found
    if errors:
        raise ImportFailed(errors)
    return index


def read_table(file, columns: list[Column], *, filename: str | None = None, header_aliases: dict | None = None) -> Table:
    """Parse every row; raise ImportFailed listing every error if any row is bad.

    `header_aliases` maps a column key to an alternative header (a saved mapping for a source).
    For files of a hundred thousand rows and more, see `iter_rows`.
    """
    filename = filename or getattr(file, "name", "") or str(file)
    cells = _read_cells(file, filename)
    while cells and all(text(c) == "" for c in cells[-1]):
        cells.pop()
    if not cells:
        raise ImportFailed([RowError(1, "", _("文件是空的。"))])
    headers = [text(h) for h in cells[0]]
    index = _column_index(headers, columns, header_aliases)
    raw_rows = cells[1:]
    if len(raw_rows) > MAX_ROWS:
        raise ImportFailed([_too_many_rows()])
    table = Table(headers=headers, raw_rows=raw_rows)
    progress.phase("reading")
    for offset, raw in enumerate(raw_rows):
        rownum = offset + 2
        if offset % 500 == 0:
            progress.report(read=offset)
        if all(text(c) == "" for c in raw):
            continue  # blank rows between data are ignored, not errors
        parsed: dict[str, Any] = {"_row": rownum}
        for col in columns:
            value = raw[index[col.key]] if col.key in index and index[col.key] < len(raw) else None
            if text(value) == "":
                if col.required:
                    table.errors.append(RowError(rownum, col.header, _("不能为空。")))
                parsed[col.key] = None
                continue
            try:
                parsed[col.key] = col.parse(value) if col.parse else text(value)
            except Invalid as exc:
                table.errors.append(RowError(rownum, col.header, str(exc.message)))
        table.rows.append(parsed)
    progress.report(read=len(raw_rows))
    if table.errors:
        raise ImportFailed(table.errors, table)
    return table


# -- streaming: large files --------------------------------------------------------


def clean(value: Any) -> str:
    """`text(value)`, cheaper for a cell that is already a str: NFKC only when it is not
    ASCII (ASCII is NFKC already), white space folded with str.split (the same characters
    as the regular expression's \\s). The cell cleaning of `iter_rows`."""
    if isinstance(value, str):
        if not value.isascii():
            value = unicodedata.normalize("NFKC", value)
        return " ".join(value.split())
    return text(value)


def compact_cleaned(value: Any) -> str:
    """`compact` for a cell `iter_rows` has cleaned already: spaces removed, nothing normalised again."""
    return "".join(value.split()) if isinstance(value, str) else compact(value)


def _too_many_rows() -> RowError:
    return RowError(1, "", _("行数超过上限 %(n)d。") % {"n": MAX_ROWS})


def iter_rows(file, columns: list[Column], *, errors: list[RowError], filename: str | None = None,
              header_aliases: dict | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield `(row number, {column key: value})` for every non-blank data row of a file, as it
    is read: the fast path for files of a hundred thousand rows (a year's 12345 export).

    The contract is `read_table`'s (headers, aliases and `header_aliases`, optional columns,
    required cells, blank rows skipped, row numbers as Excel shows them, MAX_ROWS), except:

    - each cell is cleaned once (`clean`), and a parser receives the cleaned text, or the
      typed value an .xlsx cell holds (a datetime, a number): parsers need not normalise
      again, and a cell's line breaks are folded to spaces (`read_table` hands parsers the
      raw cell instead);
    - cells are not kept: the caller keeps what it needs, and `error_report(failure,
      file=...)` reads the file again for the report;
    - a bad cell does not stop the row: its RowError is appended to `errors`, its key holds
      None, and the row is still yielded, so that checks across rows (duplicates, unknown
      references) see every row and one report lists every problem. The caller raises
      `ImportFailed(errors)` once it has added its own.

    An unreadable or empty file, a blank first row, a missing column and too many rows raise
    ImportFailed (or Invalid, for the file itself) from the iteration.
    """
    filename = filename or getattr(file, "name", "") or str(file)
    cells = _iter_cells(file, filename)
    first = next(cells, None)
    headers = [clean(h) for h in first or ()]
    if not any(headers):
        has_data = any(clean(c) for row in cells for c in row)
        raise ImportFailed([RowError(1, "", _("第一行应为列名。") if has_data else _("文件是空的。"))])
    index = _column_index(headers, columns, header_aliases)
    plan = [(col.key, col.header, col.required, col.parse, index.get(col.key)) for col in columns]
    width = len(headers)
    empty = _("不能为空。")
    progress.phase("reading")
    for rownum, raw in enumerate(cells, start=2):
        if rownum % 5000 == 0:
            progress.report(read=rownum - 1)
        if len(raw) < width:
            raw = [*raw, *([None] * (width - len(raw)))]
        mark, blank = len(errors), True
        values: dict[str, Any] = {}
        for key, header, required, parse, i in plan:
            value = raw[i] if i is not None else None
            cell = clean(value) if value is not None else ""
            if cell == "":
                if required:
                    errors.append(RowError(rownum, header, empty))
                values[key] = None
                continue
            blank = False
            try:
                values[key] = parse(cell if isinstance(value, str) else value) if parse else cell
            except Invalid as exc:
                errors.append(RowError(rownum, header, str(exc.message)))
                values[key] = None
        if blank and all(clean(c) == "" for c in raw):
            del errors[mark:]  # a blank row is skipped, not reported
            continue
        if rownum - 1 > MAX_ROWS:
            raise ImportFailed([_too_many_rows()])
        yield rownum, values


# -- writing -------------------------------------------------------------------
# Every sheet goes through dangshi.core.sheets (widths, frozen bold header, filter, print
# setup, formats, formula-injection neutralisation).


def workbook_bytes(headers: list[str | sheets.Col], rows: Iterable[Iterable[Any]], *, title: str = "Sheet1",
                   extra: Iterable[sheets.Sheet] = ()) -> bytes:
    """A one-sheet .xlsx (streamed, so a large export does not sit in memory), plus `extra` sheets."""
    return sheets.workbook([sheets.Sheet(title=title, columns=headers, rows=rows), *extra])


def error_report(failure: ImportFailed, *, file=None, filename: str = "") -> bytes:
    """The uploaded rows with an added 错误 column naming each problem (row 1 problems at the top)."""
    table = failure.table
    if table is None and file is not None:
        if hasattr(file, "seek"):
            file.seek(0)
        cells = _read_cells(file, filename)
        headers, raw_rows = ([text(h) for h in cells[0]], cells[1:]) if cells else ([], [])
    else:
        headers, raw_rows = (table.headers, table.raw_rows) if table else ([], [])
    by_row: dict[int, list[str]] = {}
    for err in failure.errors:
        by_row.setdefault(err.row, []).append(f"「{err.column}」{err.message}" if err.column else err.message)
    rows: list[list[Any]] = []
    marked: set[int] = set()
    if 1 in by_row:
        rows.append([""] * len(headers) + ["; ".join(by_row[1])])
        marked.add(len(rows))
    for offset, raw in enumerate(raw_rows):
        problems = by_row.get(offset + 2, [])
        cells_ = list(raw[: len(headers)])
        rows.append([*cells_, *([None] * (len(headers) - len(cells_))), "; ".join(problems)])
        if problems:
            marked.add(len(rows))
    columns = [*(sheets.Col(h) for h in headers), sheets.Col(_("错误"), kind=sheets.TEXT)]
    return sheets.workbook([sheets.Sheet(title=str(gettext_lazy("导入结果")), columns=columns, rows=rows,
                                         marked_rows=marked)])


def template_bytes(columns: list[Column], examples: list[list[Any]], *, title: str, notes: list[str] = (),
                   choices: dict[str, tuple[str, ...]] | None = None, kinds: dict[str, str] | None = None,
                   hints: dict[str, str] | None = None, rows: int = 1000) -> bytes:
    """An import template: the columns `columns` reads, `examples` as the first rows (dates as dates,
    IDs as text), a drop-down on every column that takes fixed values (`choices`, by column key)
    for `rows` rows, and a 填写说明 sheet (required or optional, format, allowed values, `hints`).

    The template is a Chinese document whatever the console's language: its headers are the
    ones the import reads."""
    choices, kinds, hints = choices or {}, kinds or {}, hints or {}
    cols = [sheets.Col(c.header, kind=kinds.get(c.key, sheets.AUTO), choices=tuple(choices.get(c.key, ())),
                       note=hints.get(c.key, ""), required=c.required) for c in columns]
    return sheets.workbook([
        sheets.Sheet(title=title, columns=cols, rows=examples, validation_rows=rows),
        sheets.instructions_sheet(f"{title}导入模板填写说明", cols, [
            "第一行为列名,请勿修改;示例行可直接改写或删除。", *notes,
            "整份文件校验无误才导入;有错误时不导入任何一行,并给出逐行的错误报告。",
        ]),
    ])
