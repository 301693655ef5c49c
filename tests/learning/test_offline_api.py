"""The offline activities API: members report (with an optional photo), the branch
confirms or rejects, everyone else gets 404."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dangshi.audit.models import AuditEvent
from dangshi.learning.models import Activity, OfflineActivity
from tests.learning.audio import wav_bytes

API = "/api/v1/learning/offline"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _photo(name="ticket.jpg", fmt="JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _report(client, **fields):
    data = {"kind": "film", "title": "《长津湖》", "day": timezone.localdate().isoformat(), **fields}
    return client.post(API, data)  # multipart, as a form with a file is sent


def test_a_member_reports_with_a_photo_and_lists_own_reports(world, _media):
    client = world.client("member_a")
    response = _report(client, photo=_photo("影院票根.jpeg"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["kind_name"], body["status"], body["photo"]) == ("film", "每旬观看一部红色影片",
                                                                                 "reported", True)
    activity = OfflineActivity.objects.get(pk=body["id"])
    assert activity.member == world.members["member_a"] and activity.evidence.name.endswith(".jpg")
    assert (_media / activity.evidence.name).read_bytes()[:2] == b"\xff\xd8"
    assert _report(client, kind="book", title="《中国共产党简史》").status_code == 201  # the photo is optional
    _report(world.client("member_c"), title="别人的")
    mine = client.get(API).json()
    assert mine["count"] == 2 and {i["title"] for i in mine["items"]} == {"《长津湖》", "《中国共产党简史》"}
    assert AuditEvent.objects.filter(action="learning.offline.reported").count() == 3


@pytest.mark.parametrize(("fields", "field"), [
    ({"kind": "dance"}, "kind"),
    ({"title": "  "}, "title"),
    ({"day": (timezone.localdate() + timedelta(days=2)).isoformat()}, "day"),
    ({"day": "2021-13-01"}, "day"),
])
def test_bad_reports_name_the_field(world, fields, field):
    response = _report(world.client("member_a"), **fields)
    assert response.status_code == 422 and response.json()["field"] == field
    assert not OfflineActivity.objects.exists()


def test_a_photo_is_checked_by_its_content(world):
    client = world.client("member_a")
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = _report(client, photo=fake)
    assert response.status_code == 422
    assert response.json()["field"] == "evidence" and "照片只能是" in response.json()["message"]
    response = _report(client, photo=SimpleUploadedFile("photo.jpg", wav_bytes(0.5), content_type="image/jpeg"))
    assert response.status_code == 422
    assert _report(client, photo=_photo("p.png", "PNG")).status_code == 201
    assert OfflineActivity.objects.get().evidence.name.endswith(".png")


def test_only_members_report(world):
    assert _report(world.client("admin_a")).status_code == 404
    assert world.client("admin_a").get(API).status_code == 404
    assert _report(world.client(None)).status_code == 401


def test_the_branch_confirms_and_it_counts_for_five_ones(world):
    activity_id = _report(world.client("member_a")).json()["id"]
    pending = world.client("admin_a").get(f"{API}/pending").json()
    assert [i["id"] for i in pending["items"]] == [activity_id]
    assert pending["items"][0]["member_name"] == "甲支部党员"
    assert world.client("admin_b").get(f"{API}/pending").json()["count"] == 0
    response = world.client("admin_a").post(f"{API}/{activity_id}/confirm")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert Activity.objects.filter(offline_id=activity_id, kind="film").count() == 1
    assert world.client("admin_a").post(f"{API}/{activity_id}/reject").status_code == 409  # already decided
    assert Activity.objects.filter(offline_id=activity_id).count() == 1
    event = AuditEvent.objects.get(action="learning.offline.confirmed")
    assert event.actor == world.users["admin_a"]
    assert world.client("member_a").get(API).json()["items"][0]["status_name"] == "已确认"


def test_a_rejected_report_does_not_count(world):
    activity_id = _report(world.client("member_a")).json()["id"]
    response = world.client("office").post(f"{API}/{activity_id}/reject")  # the office reaches every branch
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert not Activity.objects.exists()


def test_another_branch_cannot_decide(world):
    activity_id = _report(world.client("member_a")).json()["id"]
    for persona in ("admin_b", "member_a", "member_c", "outsider"):
        for verb in ("confirm", "reject"):
            assert world.client(persona).post(f"{API}/{activity_id}/{verb}").status_code == 404, (persona, verb)
    assert world.client("member_a").get(f"{API}/pending").status_code == 404
    assert world.client(None).post(f"{API}/{activity_id}/confirm").status_code == 401
    assert OfflineActivity.objects.get(pk=activity_id).status == "reported"


def test_the_offline_routes_are_in_the_openapi_schema(world):
    paths = world.client("member_a").get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/learning/offline"])
    assert "multipart/form-data" in paths["/api/v1/learning/offline"]["post"]["requestBody"]["content"]
    assert "post" in paths["/api/v1/learning/offline/{offline_id}/confirm"]
    assert "post" in paths["/api/v1/learning/offline/{offline_id}/reject"]
    assert "get" in paths["/api/v1/learning/offline/pending"]
