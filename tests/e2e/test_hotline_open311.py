"""An existing Open311 client from PyPI (`georeport` 0.3.1) against the running server.

`georeport` lists services and reads requests but has no POST; the other GeoReport v2
clients on PyPI (`three` 0.8.0, `open311` 1.1) are Python 2 only and do not import on
Python 3.12. So the POST goes through `requests` (the HTTP client `georeport` itself
uses), form-encoded as the spec says, and the client library then reads it back.
"""

import requests
from georeport import GeoReport

from dangshi.hotline.services import open311_key_create, service_defaults_ensure


def test_open311_client_lists_services_posts_and_reads_a_request(world, live_server):
    service_defaults_ensure()  # live_server tests flush the data migration's rows
    _key, api_key = open311_key_create(name="测试接入", intake_org=world.root)
    root = f"{live_server.url}/open311/v2"
    client = GeoReport(root)

    services = client.get_service_list()
    codes = {s["service_code"] for s in services}
    assert {"emergency", "water", "power", "gas", "heat", "general", "complex"} <= codes
    assert client.get_service_definition("water")["service_code"] == "water"
    xml_services = GeoReport(root, output_format="xml").get_service_list()
    assert {s["service_code"] for s in xml_services} == codes

    posted = requests.post(f"{root}/requests.json", data={
        "api_key": api_key, "service_code": "water", "lat": "30.59", "long": "114.30",
        "address_string": "和平路8号", "description": "小区停水一天了", "first_name": "小明", "last_name": "王",
        "phone": "13766667777",
    }, timeout=10)
    assert posted.status_code == 200, posted.text
    created = posted.json()[0]
    number = created["service_request_id"]

    read = client.get_service_request(number)
    assert read["service_code"] == "water" and read["status"] == "open"
    assert read["description"] == "小区停水一天了"
    listed = client.get_service_requests(service_request_id=number)
    assert [r["service_request_id"] for r in listed] == [number]
    token = requests.get(f"{root}/tokens/{created['token']}.json", timeout=10).json()
    assert token[0]["service_request_id"] == number
    assert "13766667777" not in requests.get(f"{root}/requests/{number}.xml", timeout=10).text


def test_open311_post_without_a_valid_key_is_refused_with_the_spec_error(world, live_server):
    root = f"{live_server.url}/open311/v2"
    response = requests.post(f"{root}/requests.json", data={"service_code": "water", "description": "x",
                                                            "address_string": "y", "api_key": "wrong"}, timeout=10)
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403 and "api_key" in response.json()[0]["description"]
