"""Open311 GeoReport v2 shapes, filters and error bodies (the client-library journey is in tests/e2e)."""

from xml.etree import ElementTree as ET

import pytest

from dangshi.hotline.models import Channel, Request, State
from dangshi.hotline.services import open311_key_create


def _xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own server's response, in a test


WINDOW = "start_date=2021-02-15T00:00:00Z&end_date=2021-03-15T00:00:00Z"


@pytest.fixture
def api_key(world):
    return open311_key_create(name="测试", intake_org=world.root)[1]


def test_discovery_in_json_and_xml(world, client):
    data = client.get("/open311/v2/discovery.json").json()
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert "application/json" in data["endpoints"][0]["formats"]
    root = _xml(client.get("/open311/v2/discovery.xml").content)
    assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format") is not None


def test_services_xml_has_one_service_element_each(world, client):
    root = _xml(client.get("/open311/v2/services.xml").content)
    assert root.tag == "services"
    assert {s.findtext("service_code") for s in root.findall("service")} >= {"emergency", "general"}
    assert root.find("service/metadata").text == "false"


def test_unknown_service_and_request_answer_404_with_error_bodies(world, client):
    r = client.get("/open311/v2/services/nope.json")
    assert r.status_code == 404 and r.json()[0]["code"] == 404
    r = client.get("/open311/v2/requests/NOPE.xml")
    root = _xml(r.content)
    assert r.status_code == 404 and root.tag == "errors" and root.findtext("error/code") == "404"
    assert client.get("/open311/v2/tokens/nope.json").status_code == 404


def test_requests_filters_by_status_service_and_dates(hot, client):
    open_one = hot.dispatched(service="water")
    closed_one = hot.called_back()
    both = client.get(f"/open311/v2/requests.json?{WINDOW}").json()
    assert {r["service_request_id"] for r in both} == {open_one.number, closed_one.number}
    only_open = client.get(f"/open311/v2/requests.json?{WINDOW}&status=open").json()
    assert [r["service_request_id"] for r in only_open] == [open_one.number]
    only_closed = client.get(f"/open311/v2/requests.json?{WINDOW}&status=closed").json()
    assert [r["service_request_id"] for r in only_closed] == [closed_one.number]
    water = client.get(f"/open311/v2/requests.json?{WINDOW}&service_code=water").json()
    assert [r["service_request_id"] for r in water] == [open_one.number]
    by_id = client.get(f"/open311/v2/requests.json?service_request_id={closed_one.number}").json()
    assert by_id[0]["agency_responsible"] == hot.w.branch_a.name


def test_a_date_range_over_90_days_is_a_400(world, client):
    r = client.get("/open311/v2/requests.json?start_date=2021-01-01T00:00:00Z&end_date=2021-06-01T00:00:00Z")
    assert r.status_code == 400 and "90" in r.json()[0]["description"]


def test_post_creates_a_received_request_at_the_keys_intake_org(world, client, api_key):
    r = client.post("/open311/v2/requests.xml", {"api_key": api_key, "service_code": "general",
                                                 "address_string": "和平路9号", "description": "井盖缺失",
                                                 "phone": "13900001111"})
    assert r.status_code == 200
    root = _xml(r.content)
    number = root.findtext("request/service_request_id")
    req = Request.objects.get(number=number)
    assert (req.channel, req.state, req.intake_org, req.caller_phone) == (Channel.OPEN311, State.RECEIVED,
                                                                          world.root, "13900001111")
    assert root.findtext("request/token") == req.token


@pytest.mark.parametrize(("data", "status", "words"), [
    ({}, 403, "api_key"),
    ({"service_code": "nope", "description": "x", "address_string": "y"}, 400, "service_code"),
    ({"service_code": "general", "description": "x"}, 400, "location"),
    ({"service_code": "general", "address_string": "y"}, 400, "description"),
    ({"service_code": "general", "description": "x", "lat": "a", "long": "b"}, 400, "lat"),
])
def test_post_errors_follow_the_spec(world, client, api_key, data, status, words):
    if status != 403:
        data = {**data, "api_key": api_key}
    r = client.post("/open311/v2/requests.json", data)
    assert r.status_code == status and words in r.json()[0]["description"]
    assert Request.objects.count() == 0
