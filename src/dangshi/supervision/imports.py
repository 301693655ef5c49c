"""Import of the 任务清单 from .xlsx: all or nothing, with a row-by-row report."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core import sheets, tabular
from dangshi.core.tabular import Column, ImportFailed, RowError
from dangshi.errors import Refused
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import org_subtree
from dangshi.supervision.models import Group, Priority, Task, TaskSource

if TYPE_CHECKING:
    from dangshi.orgs.models import Org

PRIORITIES = {"重点": Priority.HIGH, "高": Priority.HIGH, "一般": Priority.NORMAL, "普通": Priority.NORMAL}
COLUMNS = [
    Column("title", "任务", aliases=("任务内容", "工作任务")),
    Column("group", "牵头工作组", required=False, optional_column=True),
    Column("orgs", "责任单位编码", required=False, optional_column=True, aliases=("责任单位",)),
    Column("phase", "阶段", required=False, optional_column=True),
    Column("priority", "优先级", required=False, optional_column=True, parse=tabular.choice(PRIORITIES)),
    Column("starts_on", "开始日期", parse=tabular.parse_date),
    Column("due_on", "完成时限", parse=tabular.parse_date),
    Column("deliverables", "成果形式", required=False, optional_column=True),
    Column("parent", "上级任务", required=False, optional_column=True),
]
HEADERS = [c.header for c in COLUMNS]
_SPLIT = re.compile(r"[、,,;;\s]+")


def tasks_template() -> bytes:
    return tabular.template_bytes(COLUMNS, [
        ["开展“我为群众办实事”实践活动", "实践活动组", "ST1、ST2", "学习教育", "重点", date(2021, 3, 1), date(2021, 12, 31),
         "实事清单", ""],
        ["建立实事项目台账", "实践活动组", "ST1", "学习教育", "一般", date(2021, 3, 1), date(2021, 4, 15), "台账",
         "开展“我为群众办实事”实践活动"],
    ], title="任务清单", choices={"priority": ("重点", "一般")}, kinds={"orgs": sheets.TEXT}, hints={
        "group": "本组织已建立的工作组名称",
        "orgs": "一个或多个组织编码,用顿号分隔",
        "due_on": "不能早于开始日期",
        "parent": "同一文件中写在本行之前的任务名称",
    })


def tasks_import(*, file, scope: Scope, org: Org, actor=None, filename: str | None = None) -> int:
    """Validate every row (groups, org codes, dates, parents named in the same file),
    then create every task in one transaction."""
    if not scope.reaches(org):
        raise Refused(_("该组织不在您的管理范围内。"))
    try:
        table = tabular.read_table(file, COLUMNS, filename=filename)
        errors: list[RowError] = []
    except ImportFailed as failure:
        if failure.table is None:
            raise
        table, errors = failure.table, list(failure.errors)
    groups = {g.name: g for g in Group.objects.filter(org=org)}
    codes = {c for r in table.rows for c in _SPLIT.split(r.get("orgs") or "") if c}
    orgs = {o.code: o for o in org_subtree(root=org).filter(code__in=codes)}
    titles: dict[str, int] = {}
    for r in table.rows:
        n = r["_row"]
        if r.get("group") and r["group"] not in groups:
            errors.append(RowError(n, "牵头工作组", _("没有这个工作组:%(g)s") % {"g": r["group"]}))
        r["org_list"] = []
        for code in _SPLIT.split(r.get("orgs") or ""):
            if not code:
                continue
            if code not in orgs:
                errors.append(RowError(n, "责任单位编码", _("组织编码不存在或不在本组织之下:%(c)s") % {"c": code}))
            else:
                r["org_list"].append(orgs[code])
        if r.get("starts_on") and r.get("due_on") and r["due_on"] < r["starts_on"]:
            errors.append(RowError(n, "完成时限", _("完成时限不能早于开始日期。")))
        if r.get("parent") and r["parent"] not in titles:
            errors.append(RowError(n, "上级任务", _("上级任务应写在本行之前:%(t)s") % {"t": r["parent"]}))
        if r.get("title"):
            titles.setdefault(r["title"], n)
    if errors:
        errors.sort(key=lambda e: (e.row, HEADERS.index(e.column) if e.column in HEADERS else -1))
        raise ImportFailed(errors, table)
    with transaction.atomic():
        made: dict[str, Task] = {}
        for r in table.rows:
            task = Task.objects.create(
                org=org, title=r["title"], group=groups.get(r.get("group") or ""), phase=r.get("phase") or "",
                priority=r.get("priority") or Priority.NORMAL, starts_on=r["starts_on"], due_on=r["due_on"],
                deliverables=r.get("deliverables") or "", parent=made.get(r.get("parent") or ""), source=TaskSource.IMPORT,
            )
            task.orgs.set(r["org_list"])
            made.setdefault(task.title, task)
        log_event("supervision.task.imported", actor=actor, obj=org, data={"rows": len(table.rows), "file": filename or ""})
    return len(table.rows)
