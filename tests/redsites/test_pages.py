"""Pages: the map (tile source from the environment), the route sheet, the A4 poster
(with the site's name in Chinese), console pages scoped by the managing org."""

import json
import re
import shutil
import subprocess

import pytest

from dangshi.redsites.poster import cjk_font
from tests.redsites.helpers import route, site


def _config(body: str) -> dict:
    match = re.search(r'<script id="redsites-config" type="application/json">(.*?)</script>', body, re.S)
    return json.loads(match[1])


def test_map_page_has_no_tiles_by_default_and_ships_the_district_outline(world, settings):
    settings.REDSITES_TILE_URL = ""
    body = world.client(None).get("/redsites/map/").content.decode()
    assert _config(body)["tile_url"] == ""
    assert "redsites/district.geojson" in body and "no-tiles" in body
    assert "vendor/leaflet/leaflet.markercluster.js" in body


def test_map_tile_source_is_a_setting(world, settings):
    settings.REDSITES_TILE_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    settings.REDSITES_TILE_DATUM = "gcj02"
    config = _config(world.client(None).get("/redsites/map/").content.decode())
    assert config["tile_url"] == "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    assert config["tile_datum"] == "gcj02"


def test_route_sheet_lists_stops_in_order_with_totals(world):
    a, b, c = (site(world.branch_a, name=f"线路站点{i}") for i in range(3))
    r = route(world.branch_a, [a, c, b], name="打印线路")
    body = world.client(None).get(f"/redsites/routes/{r.pk}/").content.decode()
    assert body.index("线路站点0") < body.index("线路站点2") < body.index("线路站点1")
    assert "3.0 公里" in body and "10 分钟" in body


def test_site_page_shows_the_card_to_anyone(world):
    s = site(world.branch_a, name="公开纪念馆", address="测试路 9 号", opening_hours="9:00—17:00")
    body = world.client(None).get(f"/redsites/sites/{s.pk}/").content.decode()
    assert "公开纪念馆" in body and "测试路 9 号" in body and "9:00—17:00" in body


def test_poster_is_an_a4_pdf_with_the_site_name_in_chinese(world, tmp_path):
    s = site(world.branch_a, name="红星特别支部旧址")
    response = world.client("admin_a").get(f"/redsites/console/sites/{s.pk}/poster.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.content)
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "红星特别支部旧址" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-singlefile", str(pdf), str(tmp_path / "poster")], check=True)
    assert (tmp_path / "poster.png").stat().st_size > 1000
    assert cjk_font() in {"RedsitesCJK", "STSong-Light"}


def test_poster_and_console_are_scoped_to_the_managing_org(world):
    s = site(world.branch_a, name="支部A的纪念馆")
    assert world.client("admin_b").get(f"/redsites/console/sites/{s.pk}/poster.pdf").status_code == 404
    assert "支部A的纪念馆" in world.client("admin_a").get("/redsites/console/").content.decode()
    assert "支部A的纪念馆" not in world.client("admin_b").get("/redsites/console/").content.decode()
    assert world.client("member_a").get("/redsites/console/").status_code == 404
