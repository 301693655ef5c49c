"""Request logs with a request id, and /metrics behind METRICS (core/observe.py)."""

import json
import logging

import pytest

from tests.conftest import SENTINEL_PHONE


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="dangshi.request"):
        response = client.get(f"/healthz?q={SENTINEL_PHONE}")
    line = json.loads(next(r for r in caplog.records if r.name == "dangshi.request").getMessage())
    assert line["request_id"] == response["X-Request-ID"] and len(line["request_id"]) == 32
    assert (line["method"], line["path"], line["view"], line["status"]) == ("GET", "/healthz", "core:healthz", 200)
    assert line["ms"] >= 0
    assert SENTINEL_PHONE not in caplog.text  # the query string is never logged


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_only_behind_a_trusted_proxy(client, settings):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-abcdef123")["X-Request-ID"] != "nginx-abcdef123"
    settings.TRUST_X_FORWARDED_FOR = True
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-abcdef123")["X-Request-ID"] == "nginx-abcdef123"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"


@pytest.mark.django_db
def test_metrics_are_404_unless_enabled(client):
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_metrics_count_requests_by_view_for_allowed_addresses(client, settings):
    settings.METRICS = True
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    assert 'dangshi_requests_total{method="GET",status="200",view="core:healthz"}' in body
    assert "dangshi_request_duration_seconds_bucket" in body and "dangshi_task_backlog 0.0" in body


@pytest.mark.django_db
def test_metrics_are_refused_to_an_outside_address(world, settings):
    settings.METRICS = True
    client = world.client("outsider")
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7").status_code == 404
    assert world.client("office").get("/metrics", REMOTE_ADDR="203.0.113.7").status_code == 404
