"""Batch entry of sessions from .xlsx: the whole file lands or nothing does, with a row report."""

import re
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core import sheets, tabular
from dangshi.core.tabular import Column, ImportFailed, RowError
from dangshi.errors import DomainError
from dangshi.orgs.scope import Scope
from dangshi.outreach import selectors, services
from dangshi.outreach.models import VenueKind

_SPLIT = re.compile(r"[、,,;;\s]+")


def _names(value) -> list[str]:
    return [p for p in _SPLIT.split(tabular.text(value)) if p]


COLUMNS = [
    Column("starts_at", "宣讲时间", parse=tabular.parse_datetime),
    Column("org_code", "主办组织编码", parse=tabular.compact),
    Column("venue", "宣讲阵地", parse=tabular.compact),
    Column("place", "地点", parse=tabular.text),
    Column("topic", "宣讲主题", parse=tabular.text),
    Column("lecturers", "宣讲员", required=False, parse=_names),
    Column("covered", "覆盖组织编码", required=False, parse=_names),
    Column("audience_offline", "现场听众", required=False, parse=tabular.parse_int),
    Column("audience_online", "线上观看", required=False, optional_column=True, parse=tabular.parse_int),
    Column("online_platform", "线上平台", required=False, optional_column=True, parse=tabular.text),
]
HEADERS = [c.header for c in COLUMNS]


def session_template() -> bytes:
    """The template, with the active 宣讲阵地 as a drop-down."""
    venues = tuple(VenueKind.objects.filter(active=True).values_list("name", flat=True))
    return tabular.template_bytes(COLUMNS, [[
        datetime(2021, 4, 12, 9, 30), "HX00001", venues[0] if venues else "进社区", "社区党群服务中心",
        "百年党史中的初心使命", "张三、李四", "HX00001、HX00002", 60, 0, "",
    ]], title="宣讲场次", choices={"venue": venues}, kinds={"covered": sheets.TEXT}, hints={
        "lecturers": "宣讲员姓名,多人用顿号分隔,须在主办组织的可选范围内",
        "covered": "一个或多个组织编码,用顿号分隔",
        "audience_online": "填写线上观看人次时请注明线上平台",
    })


def session_import(*, file, scope: Scope, actor, filename: str | None = None, campaign=None) -> int:
    """Validate every row (orgs in reach, venue, lecturers by name), then create all sessions
    in one transaction. Returns the number created; ImportFailed lists every problem."""
    try:
        table = tabular.read_table(file, COLUMNS, filename=filename)
    except ImportFailed as failure:
        if failure.table is None:
            raise
        table, errors = failure.table, list(failure.errors)
    else:
        errors = []
    bad = {e.row for e in errors}
    rows = [r for r in table.rows if r["_row"] not in bad]
    codes = {r["org_code"] for r in rows} | {c for r in rows for c in (r.get("covered") or [])}
    orgs = {o.code: o for o in selectors.loggable_orgs(scope=scope).filter(code__in=codes)}
    venues = {v.name: v for v in VenueKind.objects.filter(active=True)} | {
        v.code: v for v in VenueKind.objects.filter(active=True)}
    lecturer_cache: dict[str, dict[str, list]] = {}
    for r in rows:
        n = r["_row"]
        org = orgs.get(r["org_code"])
        if org is None:
            errors.append(RowError(n, "主办组织编码", _("组织编码不存在或不在您的范围内:%(c)s") % {"c": r["org_code"]}))
            continue
        r["org"] = org
        if r["venue"] not in venues:
            errors.append(RowError(n, "宣讲阵地", _("宣讲阵地不正确:%(v)s") % {"v": r["venue"]}))
        r["covered_orgs"] = []
        for code in r.get("covered") or []:
            if code in orgs:
                r["covered_orgs"].append(orgs[code])
            else:
                errors.append(RowError(n, "覆盖组织编码", _("组织编码不存在或不在您的范围内:%(c)s") % {"c": code}))
        if org.code not in lecturer_cache:
            by_name: dict[str, list] = {}
            for lecturer in selectors.lecturer_choices(org=org):
                by_name.setdefault(lecturer.name, []).append(lecturer)
            lecturer_cache[org.code] = by_name
        r["lecturer_objs"] = []
        for name in r.get("lecturers") or []:
            found = lecturer_cache[org.code].get(name, [])
            if len(found) != 1:
                message = _("宣讲员不存在或不在该主办组织的可选范围内:%(n)s") if not found else _("宣讲员重名,请在页面上逐条登记:%(n)s")
                errors.append(RowError(n, "宣讲员", message % {"n": name}))
            else:
                r["lecturer_objs"].append(found[0])
        if (r.get("audience_online") or 0) and not r.get("online_platform"):
            errors.append(RowError(n, "线上平台", _("填写线上观看人次时请注明平台。")))
    if errors:
        errors.sort(key=lambda e: (e.row, HEADERS.index(e.column) if e.column in HEADERS else -1))
        raise ImportFailed(errors, table)
    try:
        with transaction.atomic():
            for r in rows:
                services.session_create(
                    scope=scope, actor=actor, org=r["org"], starts_at=r["starts_at"], venue_kind=venues[r["venue"]],
                    place=r["place"], topic=r["topic"], lecturers=r["lecturer_objs"], covered_orgs=r["covered_orgs"],
                    audience_offline=r.get("audience_offline") or 0, audience_online=r.get("audience_online") or 0,
                    online_platform=r.get("online_platform") or "", campaign=campaign,
                )
            log_event("outreach.session.imported", actor=actor, org=scope.home_org, data={"rows": len(rows)})
    except DomainError as exc:
        raise ImportFailed([RowError(r["_row"], exc.field or "", exc.message)], table) from exc
    return len(rows)
