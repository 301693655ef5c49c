"""Callers' names and phones: encrypted, masked for everyone but the assigned staff of the
handling org, never on public pages or in Open311 responses."""

import json

from django.urls import reverse

from dangshi.hotline.selectors import caller_shown
from tests.hotline.conftest import CALLER_NAME, CALLER_PHONE


def test_caller_is_stored_encrypted_with_a_digest(hot):
    req = hot.new()
    from django.db import connection

    with connection.cursor() as cursor:  # raw SQL: the ORM would decrypt
        cursor.execute("SELECT caller_name, caller_phone, caller_phone_digest FROM hotline_request WHERE id = %s",
                       [req.pk])
        raw = cursor.fetchone()
    assert CALLER_PHONE not in raw[1] and CALLER_NAME not in raw[0]
    assert len(raw[2]) == 64


def test_only_the_assigned_staff_sees_the_caller_in_clear(hot):
    req = hot.signed()  # admin_a signed: the assigned staff
    assert caller_shown(req, hot.user("admin_a"))["phone"] == CALLER_PHONE
    for persona in ("office", "admin_b", "outsider"):
        shown = caller_shown(req, hot.user(persona))
        assert shown["masked"] and shown["phone"] == "136****6666" and shown["name"] == "来*****"


def test_console_page_masks_for_the_office_and_shows_for_the_assignee(hot):
    req = hot.signed()
    url = reverse("hotline:console_request", kwargs={"request_id": req.pk})
    office = hot.w.client("office").get(url).content.decode()
    assert CALLER_PHONE not in office and CALLER_NAME not in office and "136****6666" in office
    assignee = hot.w.client("admin_a").get(url).content.decode()
    assert CALLER_PHONE in assignee and CALLER_NAME in assignee
    assert hot.w.client("admin_b").get(url).status_code == 404


def test_api_masks_the_caller_except_for_the_assignee(hot):
    req = hot.signed()
    url = f"/api/v1/hotline/requests/{req.pk}"
    office = hot.w.client("office").get(url).json()
    assert office["caller_phone"] == "136****6666"
    assert hot.w.client("admin_a").get(url).json()["caller_phone"] == CALLER_PHONE
    listing = hot.w.client("office").get("/api/v1/hotline/requests/").content.decode()
    assert CALLER_PHONE not in listing and CALLER_NAME not in listing
    assert hot.w.client("admin_b").get(url).status_code == 404


def test_open311_responses_never_carry_caller_details(hot, client):
    req = hot.signed(content="路面塌陷,我的电话13655556666,请尽快处理")
    window = "start_date=2021-02-15T00:00:00Z&end_date=2021-03-15T00:00:00Z"
    bodies = [
        client.get(f"/open311/v2/requests.json?{window}").content.decode(),
        client.get(f"/open311/v2/requests.xml?{window}").content.decode(),
        client.get(f"/open311/v2/requests/{req.number}.json").content.decode(),
        client.get(f"/open311/v2/requests/{req.number}.xml").content.decode(),
    ]
    for body in bodies:
        assert req.number in body
        assert CALLER_PHONE not in body and CALLER_NAME not in body and "来*" not in body
    assert json.loads(bodies[2])[0]["description"] == "路面塌陷,我的电话***,请尽快处理"


def test_reports_are_not_public_in_open311(hot, client):
    req = hot.dispatched(kind="report", content="举报某处违规排污")
    window = "start_date=2021-02-15T00:00:00Z&end_date=2021-03-15T00:00:00Z"
    assert client.get(f"/open311/v2/requests.json?{window}").json() == []
    assert client.get(f"/open311/v2/requests/{req.number}.json").status_code == 404


def test_public_form_page_never_shows_personal_data(hot, client):
    hot.signed()
    body = client.get(reverse("hotline:public_form")).content.decode()
    assert CALLER_PHONE not in body and CALLER_NAME not in body
