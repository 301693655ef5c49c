"""Sites in and out: .xlsx (through core.tabular) and GeoJSON (RFC 7946).

An import validates every row or feature first and then writes in one transaction:
it lands whole or not at all. A site whose code exists is updated (if its managing org
is in the importer's reach), otherwise created. GeoJSON positions are [longitude,
latitude] in WGS-84 (RFC 7946 §3.1.1, §4), exactly how sites are stored, so a file
round-trips without any change to its geometry.
"""

import json

from django.db import transaction
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core import sheets, tabular
from dangshi.core.tabular import Column, ImportFailed, RowError
from dangshi.errors import Invalid
from dangshi.orgs.scope import Scope
from dangshi.redsites import geo
from dangshi.redsites.models import Site, SiteKind, SiteLevel

KINDS = {str(label): value for value, label in SiteKind.choices} | {v: v for v in SiteKind.values}
LEVELS = {str(label): value for value, label in SiteLevel.choices} | {v: v for v in SiteLevel.values}
FIELDS = ["code", "name", "kind", "level", "address", "lat", "lng", "opening_hours", "capacity", "contact",
          "description", "geofence_m", "org_code"]


def _float(value) -> float:
    raw = tabular.compact(value)
    try:
        return float(raw)
    except ValueError:
        raise Invalid(_("应为数字:%(v)s") % {"v": raw}) from None


COLUMNS = [
    Column("code", "编号", parse=tabular.compact),
    Column("name", "名称", parse=tabular.text),
    Column("kind", "类别", parse=tabular.choice(KINDS)),
    Column("level", "级别", parse=tabular.choice(LEVELS)),
    Column("address", "地址", required=False, parse=tabular.text),
    Column("lat", "纬度", parse=_float, aliases=("纬度(WGS-84)",)),
    Column("lng", "经度", parse=_float, aliases=("经度(WGS-84)",)),
    Column("opening_hours", "开放时间", required=False, optional_column=True, parse=tabular.text),
    Column("capacity", "每场次接待人数", required=False, optional_column=True, parse=tabular.parse_int),
    Column("contact", "联系电话", required=False, optional_column=True, parse=tabular.compact),
    Column("description", "简介", required=False, optional_column=True, parse=tabular.text),
    Column("geofence_m", "打卡范围(米)", required=False, optional_column=True, parse=tabular.parse_int),
    Column("org_code", "管理组织编码", required=False, optional_column=True, parse=tabular.compact),
]
HEADERS = [c.header for c in COLUMNS]


def _check_rows(rows: list[dict], *, scope: Scope, errors: list[RowError], where=str) -> None:
    """Check rows against the database: orgs in reach, codes not taken by another org's site."""
    codes = {r["org_code"] for r in rows if r.get("org_code")}
    orgs = {o.code: o for o in scope.orgs().filter(code__in=codes)}
    existing = {s.code: s for s in Site.objects.filter(code__in=[r["code"] for r in rows]).select_related("org")}
    seen: dict[str, int] = {}
    for r in rows:
        n = r["_row"]
        if r.get("org_code"):
            r["org"] = orgs.get(r["org_code"])
            if r["org"] is None:
                errors.append(RowError(n, "管理组织编码", _("组织编码不存在或不在您的管理范围内:%(c)s") % {"c": r["org_code"]}))
        else:
            r["org"] = scope.home_org
        if not (-90 <= r["lat"] <= 90) or not (-180 <= r["lng"] <= 180):
            errors.append(RowError(n, "纬度", _("坐标超出范围。")))
        if r["code"] in seen:
            errors.append(RowError(n, "编号", _("与第 %(row)d 项的编号重复。") % {"row": seen[r["code"]]}))
        seen[r["code"]] = n
        site = existing.get(r["code"])
        if site is not None and not scope.reaches(site.org):
            errors.append(RowError(n, "编号", _("该编号已被其他组织的资源点使用。")))
        r["site"] = site


def _write(rows: list[dict], *, actor, source: str) -> tuple[int, int]:
    created = updated = 0
    with transaction.atomic():
        for r in rows:
            values = {k: r[k] for k in FIELDS if k not in {"code", "org_code"} and r.get(k) is not None}
            values["org"] = r["org"]
            site = r["site"]
            if site is None:
                site = Site.objects.create(code=r["code"], **values)
                created += 1
            else:
                for k, v in values.items():
                    setattr(site, k, v)
                site.save()
                updated += 1
        log_event("redsites.sites.imported", actor=actor, org=rows[0]["org"] if rows else None,
                  data={"source": source, "created": created, "updated": updated})
    return created, updated


def sites_import_xlsx(*, file, scope: Scope, actor=None, filename: str | None = None) -> tuple[int, int]:
    scope.require_admin()
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
    _check_rows(rows, scope=scope, errors=errors)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row), table)
    return _write(rows, actor=actor, source="xlsx")


def _feature_row(n: int, feature, errors: list[RowError]) -> dict | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        errors.append(RowError(n, "type", _("不是 GeoJSON Feature。")))
        return None
    geometry = feature.get("geometry") or {}
    coords = geometry.get("coordinates")
    if geometry.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
        errors.append(RowError(n, "geometry", _("几何类型应为 Point([经度, 纬度])。")))
        return None
    props = feature.get("properties") or {}
    row = {"_row": n, "lng": coords[0], "lat": coords[1]}
    if not all(isinstance(v, int | float) for v in coords[:2]):
        errors.append(RowError(n, "geometry", _("坐标应为数字。")))
        return None
    for key in ("code", "name"):
        if not str(props.get(key) or "").strip():
            errors.append(RowError(n, key, _("不能为空。")))
    row["code"] = tabular.compact(props.get("code"))
    row["name"] = tabular.text(props.get("name"))
    kind, level = props.get("kind") or "", props.get("level") or SiteLevel.DISTRICT
    if kind not in KINDS:
        errors.append(RowError(n, "kind", _("类别无效:%(v)s") % {"v": kind}))
    if level not in LEVELS:
        errors.append(RowError(n, "level", _("级别无效:%(v)s") % {"v": level}))
    row["kind"], row["level"] = KINDS.get(kind), LEVELS.get(level)
    for key in ("address", "opening_hours", "contact", "description", "org_code"):
        row[key] = tabular.text(props.get(key)) if props.get(key) is not None else None
    for key in ("capacity", "geofence_m"):
        value = props.get(key)
        if value is not None and not (isinstance(value, int) and value >= 0):
            errors.append(RowError(n, key, _("应为非负整数。")))
        row[key] = value
    return row


def sites_import_geojson(*, data: bytes | str, scope: Scope, actor=None) -> tuple[int, int]:
    """A FeatureCollection of Point features; `properties` carry the site fields. Rows in
    error reports are feature numbers (1-based)."""
    scope.require_admin()
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise Invalid(_("无法解析 GeoJSON 文件。"), field="file") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise Invalid(_("GeoJSON 应为 FeatureCollection。"), field="file")
    errors: list[RowError] = []
    rows = [r for n, f in enumerate(doc["features"], 1) if (r := _feature_row(n, f, errors))]
    bad = {e.row for e in errors}
    rows = [r for r in rows if r["_row"] not in bad]
    _check_rows(rows, scope=scope, errors=errors)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))
    return _write(rows, actor=actor, source="geojson")


def site_feature(site: Site) -> dict:
    return {
        "type": "Feature",
        "id": site.code,
        # RFC 7946: [longitude, latitude], WGS-84, no "crs" member.
        "geometry": {"type": "Point", "coordinates": [site.lng, site.lat]},
        "properties": {
            "code": site.code, "name": site.name, "kind": site.kind, "kind_label": site.get_kind_display(),
            "level": site.level, "level_label": site.get_level_display(), "address": site.address,
            "opening_hours": site.opening_hours, "capacity": site.capacity, "contact": site.contact,
            "description": site.description, "geofence_m": site.geofence_m, "org_code": site.org.code,
            "org_name": site.org.name, "is_demo": site.is_demo, "id": site.pk,
            # For maps drawn on GCJ-02 tiles; the geometry itself stays WGS-84 as RFC 7946 requires.
            "gcj02": [round(v, 7) for v in reversed(geo.wgs84_to_gcj02(site.lat, site.lng))],
        },
    }


def sites_geojson(sites) -> dict:
    features = [site_feature(s) for s in sites]
    doc = {"type": "FeatureCollection", "features": features}
    if features:
        lngs = [f["geometry"]["coordinates"][0] for f in features]
        lats = [f["geometry"]["coordinates"][1] for f in features]
        doc["bbox"] = [min(lngs), min(lats), max(lngs), max(lats)]
    return doc


# 开放时间 holds opening hours as text ("9:00-17:00"), not a point in time.
_SHEET_COLUMNS = [sheets.Col(h, kind=sheets.TEXT) if h == "开放时间" else h for h in HEADERS]


def sites_xlsx(sites) -> bytes:
    def rows():
        for s in sites:
            yield [s.code, s.name, s.get_kind_display(), s.get_level_display(), s.address, s.lat, s.lng,
                   s.opening_hours, s.capacity, s.contact, s.description, s.geofence_m or "", s.org.code]

    return tabular.workbook_bytes(_SHEET_COLUMNS, rows(), title="红色资源")


def sites_template() -> bytes:
    """The .xlsx layout `sites_import_xlsx` reads, with an example site."""
    return tabular.template_bytes(COLUMNS, [[
        "RS0001", "中共一大纪念馆", str(SiteKind.MEMORIAL.label), str(SiteLevel.NATIONAL.label), "上海市黄浦区黄陂南路374号",
        31.2204, 121.4753, "9:00-17:00(周一闭馆)", 40, "021-53832171", "中国共产党第一次全国代表大会会址。", 300, "",
    ]], title="红色资源", kinds={"opening_hours": sheets.TEXT}, choices={"kind": tuple(str(label) for _v, label in SiteKind.choices),
                                  "level": tuple(str(label) for _v, label in SiteLevel.choices)}, hints={
        "code": "资源点编号;已存在的编号将更新该资源点",
        "lat": "WGS-84 坐标(GPS 原始坐标),不是高德、百度地图上取的坐标",
        "org_code": "不填则归属您所在的组织",
    })
