"""Import and export: GeoJSON (RFC 7946) round-trip, .xlsx in and out, all or nothing."""

import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from dangshi.core.tabular import ImportFailed
from dangshi.orgs.scope import scope_for
from dangshi.redsites import transfer
from dangshi.redsites.models import Site

# Coordinates with many decimals (as surveyed), including a site on the antimeridian's
# safe side and one in the southern hemisphere, to catch any rounding or axis swap.
FEATURES = [
    ("RT-001", "往返测试纪念馆", "memorial", "national", [114.305392817, 30.592849154]),
    ("RT-002", "往返测试旧址", "former_site", "city", [113.9171764808363, 22.540796131694766]),
    ("RT-003", "往返测试驿站", "station", "district", [-70.6482, -33.4372]),
]


def _collection(org_code="BRA"):
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": coords},
             "properties": {"code": code, "name": name, "kind": kind, "level": level, "org_code": org_code,
                            "address": "测试路 1 号", "capacity": 60, "geofence_m": 300}}
            for code, name, kind, level, coords in FEATURES
        ],
    }


def _assert_rfc7946(doc):
    """The parts of RFC 7946 an export must honour."""
    assert doc["type"] == "FeatureCollection" and "crs" not in doc  # §4: no crs member, WGS-84 only
    for feature in doc["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lng, lat = geometry["coordinates"]  # §3.1.1: longitude first
        assert -180 <= lng <= 180 and -90 <= lat <= 90
        assert isinstance(feature.get("id", ""), str | int)  # §3.2
    west, south, east, north = doc["bbox"]  # §5: [west, south, east, north]
    assert west <= east and south <= north
    json.dumps(doc, allow_nan=False)  # §7: no NaN / Infinity


def test_geojson_round_trips_through_import_and_export_unchanged_in_geometry(world):
    original = _collection()
    scope = scope_for(world.users["admin_a"])
    created, updated = transfer.sites_import_geojson(data=json.dumps(original).encode(), scope=scope)
    assert (created, updated) == (3, 0)
    exported = transfer.sites_geojson(Site.objects.filter(code__startswith="RT-").order_by("code"))
    _assert_rfc7946(exported)
    assert [f["geometry"] for f in exported["features"]] == [f["geometry"] for f in original["features"]]
    # and the export imports again (updating, not duplicating) with the geometry still unchanged
    created, updated = transfer.sites_import_geojson(data=json.dumps(exported), scope=scope)
    assert (created, updated) == (0, 3)
    again = transfer.sites_geojson(Site.objects.filter(code__startswith="RT-").order_by("code"))
    assert [f["geometry"] for f in again["features"]] == [f["geometry"] for f in original["features"]]


def test_geojson_import_is_all_or_nothing_with_feature_numbers(world):
    doc = _collection()
    doc["features"][1]["geometry"] = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    doc["features"][2]["properties"]["kind"] = "castle"
    with pytest.raises(ImportFailed) as failed:
        transfer.sites_import_geojson(data=json.dumps(doc), scope=scope_for(world.users["admin_a"]))
    assert [(e.row, e.column) for e in failed.value.errors] == [(2, "geometry"), (3, "kind")]
    assert not Site.objects.exists()


def test_import_refuses_orgs_out_of_reach(world):
    with pytest.raises(ImportFailed) as failed:
        transfer.sites_import_geojson(data=json.dumps(_collection("BRA")), scope=scope_for(world.users["admin_b"]))
    assert all(e.column == "管理组织编码" for e in failed.value.errors)
    assert not Site.objects.exists()


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "名称", "类别", "级别", "地址", "纬度", "经度", "开放时间", "每场次接待人数", "打卡范围(米)",
               "管理组织编码"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_sites_import_from_xlsx_with_chinese_labels(world):
    file = _xlsx([
        ["X-001", "表格导入纪念馆", "纪念馆", "省级", "测试路 2 号", 30.59, 114.30, "9:00-17:00", 80, 500, "BRA"],
        ["X-002", "表格导入驿站", "党史学习驿站", "区级", "测试路 3 号", "30.6", "114.31", "", "", "", "BRA"],
    ])
    created, _updated = transfer.sites_import_xlsx(file=file, filename="sites.xlsx",
                                                   scope=scope_for(world.users["admin_a"]))
    assert created == 2
    s = Site.objects.get(code="X-001")
    assert (s.kind, s.level, s.lat, s.lng, s.capacity, s.geofence_m, s.org) == (
        "memorial", "provincial", 30.59, 114.30, 80, 500, world.branch_a)


def test_xlsx_import_reports_every_bad_row_and_writes_nothing(world):
    file = _xlsx([
        ["X-001", "好的一行", "纪念馆", "省级", "", 30.59, 114.30, "", "", "", "BRA"],
        ["X-002", "坏的类别", "城堡", "省级", "", 30.59, 114.30, "", "", "", "BRA"],
        ["X-003", "坏的纬度", "纪念馆", "省级", "", "北纬三十度", 114.30, "", "", "", "BRA"],
    ])
    with pytest.raises(ImportFailed) as failed:
        transfer.sites_import_xlsx(file=file, filename="sites.xlsx", scope=scope_for(world.users["admin_a"]))
    assert [(e.row, e.column) for e in failed.value.errors] == [(3, "类别"), (4, "纬度")]
    assert not Site.objects.exists()


def test_xlsx_export_lists_the_managed_sites(world):
    transfer.sites_import_geojson(data=json.dumps(_collection()), scope=scope_for(world.users["admin_a"]))
    response = world.client("admin_a").get("/redsites/console/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "名称", "类别")
    assert [r[0] for r in rows[1:]] == ["RT-001", "RT-002", "RT-003"]
    assert rows[1][5:7] == (30.592849154, 114.305392817)
    # admin_b manages none of them
    rows_b = list(load_workbook(io.BytesIO(world.client("admin_b").get("/redsites/console/export.xlsx").content))
                  .active.iter_rows(values_only=True))
    assert len(rows_b) == 1


def test_console_import_page_takes_a_geojson_upload(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("sites.geojson", json.dumps(_collection()).encode(), "application/geo+json")
    response = world.client("admin_a").post("/redsites/console/import/", {"file": upload})
    assert response.status_code == 302
    assert Site.objects.count() == 3
