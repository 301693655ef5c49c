"""POST /api/v1/redsites/sites/{site_id}/check-in and the QR pages."""

import json

from dangshi.redsites.models import CheckIn, VisitorCount
from tests.redsites.helpers import HERE, site


def _post(client, s, body):
    return client.post(f"/api/v1/redsites/sites/{s.pk}/check-in", data=json.dumps(body),
                       content_type="application/json")


def test_member_checks_in_once_a_day_through_the_api(world):
    s = site(world.branch_a, geofence_m=300)
    client = world.client("member_a")
    first = _post(client, s, {"lat": HERE[0] + 0.001, "lng": HERE[1]})
    assert first.status_code == 201, first.content
    assert first.json()["created"] is True and first.json()["lit"] == 1
    again = _post(client, s, {"lat": HERE[0], "lng": HERE[1]})
    assert again.status_code == 200
    assert again.json()["created"] is False and again.json()["id"] == first.json()["id"]
    assert CheckIn.objects.count() == 1


def test_checkin_outside_the_geofence_answers_403_with_a_clear_message(world):
    s = site(world.branch_a, geofence_m=300)
    response = _post(world.client("member_a"), s, {"lat": HERE[0] + 0.05, "lng": HERE[1]})
    assert response.status_code == 403
    assert response.json()["code"] == "outside_geofence"
    assert "超出 300 米打卡范围" in response.json()["message"]
    assert not CheckIn.objects.exists()


def test_anonymous_and_non_members_cannot_check_in(world):
    s = site(world.branch_a)
    assert _post(world.client(None), s, {}).status_code == 401
    assert _post(world.client("outsider"), s, {}).status_code == 403
    assert _post(world.client("admin_b"), s, {}).status_code == 403
    assert not CheckIn.objects.exists()


def test_invalid_coordinates_are_refused(world):
    s = site(world.branch_a)
    response = _post(world.client("member_a"), s, {"lat": 123.0, "lng": HERE[1]})
    assert response.status_code == 422 and response.json()["field"] == "lat"


def test_qr_landing_page_offers_checkin_to_members_and_counting_to_visitors(world):
    s = site(world.branch_a)
    member_page = world.client("member_a").get(f"/redsites/c/{s.pk}/").content.decode()
    assert 'id="checkin-button"' in member_page
    anon = world.client(None)
    assert "登记参观" in anon.get(f"/redsites/c/{s.pk}/").content.decode()
    response = anon.post(f"/redsites/c/{s.pk}/visitor/")
    assert response.status_code == 302
    anon.post(f"/redsites/c/{s.pk}/visitor/")  # the same visitor again: not counted twice
    assert VisitorCount.objects.get(site=s).count == 1


def test_qr_code_png_encodes_the_checkin_page(world):
    s = site(world.branch_a)
    response = world.client(None).get(f"/redsites/sites/{s.pk}/qr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_footprints_page_lists_the_members_checkins(world):
    s = site(world.branch_a, name="足迹测试纪念馆")
    _post(world.client("member_a"), s, {})
    body = world.client("member_a").get("/redsites/m/footprints/").content.decode()
    assert "足迹测试纪念馆" in body and "已点亮 1 / 1 处红色地标" in body
    assert "足迹测试纪念馆" not in world.client("member_c").get("/redsites/m/footprints/").content.decode()
