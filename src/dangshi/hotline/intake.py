"""Import of the hotline system's export (.xlsx / .csv): all or nothing, idempotent on 工单编号.

The whole file is parsed and checked first (dangshi.core.tabular.iter_rows, its fast path for
large files: every bad cell is named with its row); then the new rows are written in one transaction. Rows whose 工单编号 is
already stored are skipped, so importing the same export twice adds nothing. On
PostgreSQL the rows go in with COPY (ids drawn from the sequences first), elsewhere with
bulk_create: a year's export (about 200,000 rows) fits in a minute.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core import tabular
from dangshi.core.crypto import digest, encrypt
from dangshi.core.tabular import (
    Column,
    ImportFailed,
    RowError,
    choice,
    compact_cleaned,
    iter_rows,
    parse_datetime,
    text,
)
from dangshi.errors import Invalid
from dangshi.hotline.models import (
    Action,
    Callback,
    Channel,
    CoOrg,
    ImportSource,
    Kind,
    Request,
    Resolution,
    Satisfaction,
    ServiceType,
    State,
    Update,
)
from dangshi.hotline.selectors import service_for
from dangshi.orgs.scope import Scope

if TYPE_CHECKING:
    from dangshi.orgs.models import Org

KINDS = {str(label): value for value, label in Kind.choices}
RESOLUTIONS = {"已解决": Resolution.RESOLVED, "解决": Resolution.RESOLVED, "部分解决": Resolution.PARTLY,
               "未解决": Resolution.NOT}
SATISFACTIONS = {"满意": Satisfaction.SATISFIED, "非常满意": Satisfaction.SATISFIED, "基本满意": Satisfaction.BASIC,
                 "不满意": Satisfaction.NOT}


_DT = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")


def parse_call_time(value: Any) -> datetime:
    """tabular.parse_datetime's formats, with a fast path for the common ones: a year's
    export has a million time cells, and strptime costs most of the import otherwise."""
    if isinstance(value, str) and (m := _DT.match(value)) and m[4] is not None:
        try:
            return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0), tzinfo=_tz())
        except ValueError:
            pass  # out-of-range fields: let the shared parser word the error
    return parse_datetime(value)


@cache
def _tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _choice(mapping):
    return choice(mapping, key=compact_cleaned)


def _opt(key, header, parse=None, aliases=()):
    return Column(key, header, required=False, parse=parse, aliases=aliases, optional_column=True)


COLUMNS = [
    Column("number", "工单编号", parse=compact_cleaned, aliases=("工单号", "编号")),
    Column("received_at", "来电时间", parse=parse_call_time, aliases=("受理时间", "来电日期")),
    _opt("caller_name", "诉求人", compact_cleaned, ("来电人", "姓名")),
    _opt("caller_phone", "联系电话", compact_cleaned, ("来电号码", "电话")),
    Column("kind", "诉求类型", parse=_choice(KINDS)),
    Column("content", "诉求内容", aliases=("来电内容",)),
    _opt("address", "地址", aliases=("诉求地址", "事发地址")),
    _opt("category", "问题分类"),
    _opt("category_1", "一级分类"),
    _opt("category_2", "二级分类"),
    _opt("category_3", "三级分类"),
    _opt("org", "承办单位", aliases=("主办单位",)),
    _opt("co_orgs", "协办单位"),
    _opt("dispatched_at", "派单时间", parse_call_time),
    _opt("signed_at", "签收时间", parse_call_time),
    _opt("replied_at", "答复时间", parse_call_time, ("办理答复时间",)),
    _opt("resolution", "解决情况", _choice(RESOLUTIONS), ("回访解决情况",)),
    _opt("satisfaction", "满意度", _choice(SATISFACTIONS), ("回访满意度",)),
    _opt("closed_at", "办结时间", parse_call_time),
]
COLUMN_KEYS = [c.key for c in COLUMNS]
_SEP = str.maketrans({"、": ",", "\uff0c": ",", ";": ",", "\uff1b": ",", "/": ",", ">": ",", "-": ","})


@dataclass
class ImportResult:
    rows: int
    created: int
    skipped: int
    source: str = ""
    numbers: list[str] = field(default_factory=list)


def source_save(*, name: str, header_aliases: dict[str, list[str]], actor=None) -> ImportSource:
    """Save a source's column mapping (column key → headers that source's export uses)."""
    unknown = set(header_aliases) - set(COLUMN_KEYS)
    if unknown:
        raise Invalid(_("未知的列:%(k)s") % {"k": "、".join(sorted(unknown))}, field="header_aliases")
    clean = {k: [text(h) for h in (v if isinstance(v, list | tuple) else [v]) if text(h)] for k, v in header_aliases.items()}
    source, _created = ImportSource.objects.update_or_create(name=name.strip(), defaults={"header_aliases": clean})
    log_event("hotline.source.saved", actor=actor, obj=source, data={"name": source.name, "columns": sorted(clean)})
    return source


def _split(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").translate(_SEP).split(",") if p.strip()]


def _org_index(scope: Scope) -> dict[str, Org]:
    index = {}
    for org in scope.orgs().only("id", "code", "name", "path"):
        index.setdefault(org.name, org)
        index[org.code] = org
    return index


def _read(file, filename: str | None, source: ImportSource | None) -> tuple[list[dict], list[RowError]]:
    """Every non-blank row (with "_row", its number in the file) and every bad cell."""
    errors: list[RowError] = []
    aliases = source.header_aliases if source else None
    rows = []
    for n, values in iter_rows(file, COLUMNS, errors=errors, filename=filename, header_aliases=aliases):
        values["_row"] = n
        rows.append(values)
    return rows, errors


def _check(rows: list[dict], scope: Scope, now: datetime) -> list[RowError]:
    """Row checks beyond single cells: known orgs, unique numbers, times in order."""
    orgs = _org_index(scope)
    errors, seen = [], {}
    for row in rows:
        r = row["_row"]
        if row.get("number") is None or row.get("received_at") is None:
            continue  # already reported as a cell error
        if row["number"] in seen:
            errors.append(RowError(r, "工单编号", _("与第 %(n)d 行重复。") % {"n": seen[row["number"]]}))
        seen.setdefault(row["number"], r)
        if row["received_at"] > now:
            errors.append(RowError(r, "来电时间", _("来电时间晚于当前时间。")))
        if row.get("org"):
            row["org_obj"] = orgs.get(row["org"])
            if row["org_obj"] is None:
                errors.append(RowError(r, "承办单位", _("未找到该单位(或不在您的管理范围内):%(v)s") % {"v": row["org"]}))
        row["co_org_objs"] = []
        for name in _split(row.get("co_orgs")):
            if name not in orgs:
                errors.append(RowError(r, "协办单位", _("未找到该单位:%(v)s") % {"v": name}))
            else:
                row["co_org_objs"].append(orgs[name])
        for key, header in (("signed_at", "签收时间"), ("replied_at", "答复时间"), ("closed_at", "办结时间")):
            if row.get(key) and not row.get("org"):
                errors.append(RowError(r, header, _("未派单的工单不能有%(h)s。") % {"h": header}))
        if bool(row.get("resolution")) != bool(row.get("satisfaction")):
            errors.append(RowError(r, "满意度", _("解决情况与满意度应同时填写。")))
        if row.get("resolution") and not row.get("replied_at"):
            errors.append(RowError(r, "解决情况", _("未答复的工单不能有回访结果。")))
    return errors


def _stored_numbers(numbers: list[str]) -> set[str]:
    """The 工单编号 among `numbers` already stored. On PostgreSQL one array parameter
    (`= ANY(%s)`): 200,000 numbers as IN-list placeholders cost psycopg seconds of parsing."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number FROM {Request._meta.db_table} WHERE number = ANY(%s)",  # noqa: S608
                           [numbers])
            return {number for (number,) in cursor.fetchall()}
    existing: set[str] = set()
    for i in range(0, len(numbers), 5000):
        existing.update(Request.objects.filter(number__in=numbers[i : i + 5000]).values_list("number", flat=True))
    return existing


def requests_import(*, file, scope: Scope, actor=None, filename: str | None = None, source: ImportSource | None = None,
                    intake_org: Org | None = None, now: datetime | None = None) -> ImportResult:
    """Import an export; raise ImportFailed (nothing written) if any row is wrong. The failure
    carries no table: `error_report(failure, file=...)` reads the file again."""
    scope.require_office()
    intake_org = intake_org or scope.home_org
    now = now or timezone.now()
    rows, errors = _read(file, filename, source)
    # The cross-row problems too, so that one round of corrections fixes the file.
    errors += _check(rows, scope, now)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))
    existing = _stored_numbers([row["number"] for row in rows])
    fresh = [row for row in rows if row["number"] not in existing]
    services = list(ServiceType.objects.filter(active=True))
    with transaction.atomic():
        plan = _Plan(services=services, intake_org=intake_org, source=source, actor=actor)
        for row in fresh:
            plan.add(row)
        plan.write()
        log_event("hotline.import.finished", actor=actor, org=intake_org,
                  data={"rows": len(rows), "created": len(fresh), "skipped": len(existing),
                        "source": source.name if source else ""})
    return ImportResult(rows=len(rows), created=len(fresh), skipped=len(rows) - len(fresh),
                        source=source.name if source else "")


UPDATE_COLUMNS = ["request_id", "action", "state", "org_id", "note", "actor_id", "actor_label", "at"]


class _Plan:
    """The rows to write, as plain dicts (COPY on PostgreSQL, bulk_create elsewhere)."""

    def __init__(self, *, services, intake_org, source, actor):
        self.services, self.intake_org, self.source = services, intake_org, source
        self.actor_id = getattr(actor, "pk", None)
        self.actor_label = str(getattr(actor, "username", "") or "")[:150]
        self.requests: list[dict] = []
        # (index into self.requests, *UPDATE_COLUMNS[1:]): a million of them in a year's file
        self.updates: list[tuple] = []
        self.callbacks: list[dict] = []
        self.co_orgs: list[dict] = []
        self._service_cache: dict[tuple, ServiceType] = {}

    def _update(self, i: int, action: str, state: str, at, org_id=None, note=""):
        self.updates.append((i, action, state, org_id, note, self.actor_id, self.actor_label, at))

    def add(self, row: dict) -> None:
        levels = [row.get("category_1"), row.get("category_2"), row.get("category_3")]
        if not any(levels) and row.get("category"):
            levels = (_split(row["category"]) + ["", "", ""])[:3]
        levels = [(x or "")[:40] for x in levels]
        key = tuple(levels)
        service = self._service_cache.get(key)
        if service is None:
            service = self._service_cache[key] = service_for(levels, self.services)
        org = row.get("org_obj")
        received = row["received_at"]
        i = len(self.requests)
        req = {
            "number": row["number"], "channel": Channel.IMPORT, "source_id": getattr(self.source, "pk", None),
            "intake_org_id": self.intake_org.pk, "received_at": received,
            "caller_name": row.get("caller_name") or "", "caller_phone": row.get("caller_phone") or "",
            "caller_phone_digest": digest(row["caller_phone"]) if row.get("caller_phone") else "",
            "kind": row["kind"], "content": row["content"], "address": (row.get("address") or "")[:200],
            "category_1": levels[0], "category_2": levels[1], "category_3": levels[2], "service_id": service.pk,
            "state": State.RECEIVED, "org_id": None, "dispatched_at": None, "sign_due_at": None, "due_at": None,
            "signed_at": None, "replied_at": None, "closed_at": None, "resolution": "", "satisfaction": "",
        }
        self.requests.append(req)
        self._update(i, Action.RECEIVE, State.RECEIVED, received)
        if org is None:
            return
        dispatched = row.get("dispatched_at") or received
        req.update(state=State.DISPATCHED, org_id=org.pk, dispatched_at=dispatched,
                   sign_due_at=dispatched + timedelta(hours=service.sign_hours),
                   due_at=dispatched + timedelta(hours=service.limit_hours))
        self._update(i, Action.DISPATCH, State.DISPATCHED, dispatched, org.pk)
        for co in row["co_org_objs"]:
            if co.pk != org.pk:
                self.co_orgs.append({"request": i, "org_id": co.pk})
        steps = (("signed_at", Action.SIGN, State.SIGNED), ("replied_at", Action.REPLY, State.REPLIED))
        for key, action, state in steps:
            if row.get(key):
                req.update({key: row[key], "state": state})
                self._update(i, action, state, row[key], org.pk)
        if row.get("resolution"):
            at = row.get("closed_at") or req["replied_at"]
            req.update(state=State.CALLBACK, resolution=row["resolution"], satisfaction=row["satisfaction"])
            self.callbacks.append({"request": i, "resolution": row["resolution"], "satisfaction": row["satisfaction"],
                                   "note": "", "at": at, "actor_id": self.actor_id})
            self._update(i, Action.CALLBACK, State.CALLBACK, at, org.pk)
        if row.get("closed_at") and req["state"] == State.CALLBACK:
            req.update(state=State.CLOSED, closed_at=row["closed_at"])
            self._update(i, Action.CLOSE, State.CLOSED, row["closed_at"], org.pk)

    # -- writing -------------------------------------------------------------------

    def write(self) -> None:
        if not self.requests:
            return
        if connection.vendor == "postgresql":
            self._write_copy()
        else:
            self._write_bulk()

    def _write_bulk(self) -> None:
        objs = Request.objects.bulk_create([Request(**r) for r in self.requests], batch_size=1000)
        ids = [o.pk for o in objs]
        Update.objects.bulk_create([Update(request_id=ids[u[0]], **dict(zip(UPDATE_COLUMNS[1:], u[1:], strict=True)))
                                    for u in self.updates], batch_size=2000)
        Callback.objects.bulk_create([Callback(**_with_id(c, ids)) for c in self.callbacks], batch_size=2000)
        CoOrg.objects.bulk_create([CoOrg(request_id=ids[c["request"]], org_id=c["org_id"]) for c in self.co_orgs])

    def _write_copy(self) -> None:
        now = timezone.now()
        with connection.cursor() as cursor:
            ids = _next_ids(cursor, Request._meta.db_table, len(self.requests))
            cols = ["id", *self.requests[0].keys(), "return_count", "reopen_count", "reply", "created_at"]
            encrypted = {"caller_name", "caller_phone"}

            def request_rows():
                for pk, r in zip(ids, self.requests, strict=True):
                    values = [encrypt(v) if k in encrypted else v for k, v in r.items()]
                    yield (pk, *values, 0, 0, "", now)

            _copy(cursor, Request._meta.db_table, cols, request_rows())
            _copy(cursor, Update._meta.db_table, UPDATE_COLUMNS, ((ids[u[0]], *u[1:]) for u in self.updates))
            ccols = ["request_id", "resolution", "satisfaction", "note", "at", "actor_id"]
            _copy(cursor, Callback._meta.db_table, ccols,
                  ((ids[c["request"]], *(c[k] for k in ccols[1:])) for c in self.callbacks))
            _copy(cursor, CoOrg._meta.db_table, ["request_id", "org_id"],
                  ((ids[c["request"]], c["org_id"]) for c in self.co_orgs))


def _with_id(row: dict, ids: list[int]) -> dict:
    return {**{k: v for k, v in row.items() if k != "request"}, "request_id": ids[row["request"]]}


def _next_ids(cursor, table: str, n: int) -> list[int]:
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
    return [r[0] for r in cursor.fetchall()]


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    from psycopg.copy import QueuedLibpqWriter

    sql = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
    # The queued writer sends blocks from a thread: the server indexes one block while Python
    # formats (and encrypts) the next, which uses both cores.
    with cursor.cursor.copy(sql, writer=QueuedLibpqWriter(cursor.cursor)) as copy:
        for row in rows:
            copy.write_row(row)


def requests_template() -> bytes:
    """The standard column names of an import (a source with other names saves a mapping),
    with one example request."""
    return tabular.template_bytes(COLUMNS, [[
        "2021040100001", datetime(2021, 4, 1, 9, 30), "王女士", "13800001234", "求助", "小区路灯损坏,夜间出行不便,请尽快维修。",
        "幸福路12号", "城市管理/市政设施/路灯", "", "", "", "幸福街道", "", datetime(2021, 4, 1, 10, 0), datetime(2021, 4, 1, 11, 0),
        datetime(2021, 4, 2, 16, 0), "已解决", "满意", datetime(2021, 4, 3, 9, 0),
    ]], title="12345工单", choices={"kind": tuple(KINDS), "resolution": ("已解决", "部分解决", "未解决"),
                                   "satisfaction": ("满意", "基本满意", "不满意")}, hints={
        "number": "同一工单编号重复导入不会重复新增",
        "org": "承办单位的组织名称或编码,须在您的管理范围内",
        "co_orgs": "多个单位用顿号分隔",
        "category": "三级分类用 / 分隔;也可分列填写一级、二级、三级分类",
    })
