"""Import and export of every column as .xlsx (all-or-nothing, row-by-row report).

One sheet layout serves all columns; a column uses the fields it needs (问题/答案 for
党史百问, 月/日/年份 for 党史上的今天, 编号 for 天天读, 链接/时长 for films and videos).
Rows land as drafts of the importing org and go through the editorial flow like any item.
The body travels as plain text, one paragraph per line.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core import sheets, tabular
from dangshi.core.tabular import Column, ImportFailed, RowError
from dangshi.errors import Invalid, Refused
from dangshi.learning.models import Item, LearningColumn
from dangshi.learning.services.items import tags_set
from dangshi.learning.textindex import index_items, plain_text, sanitise
from dangshi.orgs.scope import Scope

if TYPE_CHECKING:
    from dangshi.orgs.models import Org


def _month(value) -> int:
    n = tabular.parse_int(value)
    if not 1 <= n <= 12:
        raise Invalid(_("月份应为 1–12:%(v)s") % {"v": value})
    return n


def _day(value) -> int:
    n = tabular.parse_int(value)
    if not 1 <= n <= 31:
        raise Invalid(_("日应为 1–31:%(v)s") % {"v": value})
    return n


def _multiline(value) -> str:
    """Text with its line breaks kept: each line is a paragraph."""
    return "\n".join(tabular.text(line) for line in str(value).splitlines())


def _lines(html: str) -> str:
    return "\n".join(p for p in (plain_text(part) for part in _PARAGRAPH.split(html or "")) if p)


def _opt(key, header, parse=None, aliases=()):
    return Column(key, header, required=False, optional_column=True, parse=parse, aliases=aliases)


COLUMNS = [
    Column("title", "标题", aliases=("问题",)),
    _opt("body", "正文", _multiline),
    _opt("answer", "答案", _multiline),
    _opt("source", "来源"),
    _opt("tags", "标签"),
    _opt("month", "月", _month),
    _opt("day", "日", _day),
    _opt("event_year", "年份", tabular.parse_int),
    _opt("number", "编号", tabular.parse_int),
    _opt("media_url", "链接"),
    _opt("duration_seconds", "时长(秒)", tabular.parse_int),
]
HEADERS = [c.header for c in COLUMNS]
_SPLIT_TAGS = re.compile(r"[,,、;;\s]+")
_PARAGRAPH = re.compile(r"</p>|<br\s*/?>", re.IGNORECASE)


def _html(text: str | None) -> str:
    return "".join(f"<p>{escape(line.strip())}</p>" for line in (text or "").splitlines() if line.strip())


def column_import(*, scope: Scope, actor, column: LearningColumn, org: Org, file, filename: str | None = None) -> int:
    """Validate the whole file, then write every row in one transaction; ImportFailed lists every error."""
    if not (scope.is_admin and scope.reaches(org)):
        raise Refused(_("您无权向该组织导入内容。"))
    try:
        table = tabular.read_table(file, COLUMNS, filename=filename)
        errors: list[RowError] = []
    except ImportFailed as failure:
        if failure.table is None:
            raise
        table, errors = failure.table, list(failure.errors)
    existing = set(Item.objects.filter(column=column).values_list("title", flat=True))
    seen: dict[str, int] = {}
    for r in table.rows:
        n, title = r["_row"], (r["title"] or "").strip()
        if (r["month"] is None) != (r["day"] is None):
            errors.append(RowError(n, "日", _("月和日须同时填写。")))
        elif r["month"] is not None:
            try:
                datetime(2000, r["month"], r["day"])
            except ValueError:
                errors.append(RowError(n, "日", _("日期无效。")))
        if column.kind == "today" and r["month"] is None:
            errors.append(RowError(n, "月", _("“党史上的今天”须填写月和日。")))
        if column.kind == "qa" and not r["answer"]:
            errors.append(RowError(n, "答案", _("党史百问须填写答案。")))
        key = f"{title}|{r['month']}|{r['day']}"
        if key in seen:
            errors.append(RowError(n, "标题", _("与第 %(row)d 行重复。") % {"row": seen[key]}))
        seen.setdefault(key, n)
        if title in existing:
            errors.append(RowError(n, "标题", _("栏目中已有同名内容。")))
    if errors:
        errors.sort(key=lambda e: (e.row, HEADERS.index(e.column) if e.column in HEADERS else -1))
        raise ImportFailed(errors, table)

    with transaction.atomic():
        items = []
        for r in table.rows:
            body = sanitise(_html(r["body"]))
            item = Item.objects.create(
                column=column, org=org, title=r["title"].strip()[:200], body=body, plain=plain_text(body),
                answer=sanitise(_html(r["answer"])), source=(r["source"] or "")[:300], month=r["month"], day=r["day"],
                event_year=r["event_year"], number=r["number"], media_url=r["media_url"] or "",
                duration_seconds=r["duration_seconds"], created_by=actor,
            )
            if r["tags"]:
                tags_set(item=item, names=_SPLIT_TAGS.split(r["tags"]))
            items.append(item)
        index_items(items)
        log_event("learning.column.imported", actor=actor, obj=column, org=org,
                  data={"rows": len(items), "file": filename or ""})
    return len(items)


def column_export(*, scope: Scope, actor, column: LearningColumn) -> bytes:
    """Every item of the column published by an org in reach, in the import layout."""
    items = (scope.filter(Item.objects.filter(column=column)).prefetch_related("tags")
             .order_by("month", "day", "number", "id"))
    rows = ([i.title, _lines(i.body), _lines(i.answer), i.source, "、".join(t.name for t in i.tags.all()),
             i.month, i.day, i.event_year, i.number, i.media_url, i.duration_seconds] for i in items)
    data = tabular.workbook_bytes(_SHEET_COLUMNS, rows, title=column.name)
    log_event("learning.column.exported", actor=actor, obj=column, org=scope.home_org, data={"column": column.code})
    return data


# 编号 is a number here (the item's order in its column), not an identifier kept as text.
_SHEET_COLUMNS = [sheets.Col(h, kind=sheets.NUMBER) if h == "编号" else h for h in HEADERS]


def column_template() -> bytes:
    return tabular.template_bytes(COLUMNS, [["遵义会议召开", "1935年1月15日至17日……", "", "《中国共产党简史》", "长征",
                                             1, 15, 1935, None, "", None]], title="学习内容", kinds={"number": sheets.NUMBER},
                                  hints={"month": "党史上的今天:事件的月份(1–12)", "day": "党史上的今天:事件的日期(1–31)",
                                         "answer": "党史百问须填写答案", "tags": "多个标签用顿号分隔"})
