"""/healthz: JSON for load balancers (core/health.py)."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from dangshi.core.tasks import HEARTBEAT_KEY, ping, worker_heartbeat


@pytest.mark.django_db
def test_healthz_reports_every_check_without_login(client):
    worker_heartbeat()
    body = client.get("/healthz").json()
    # (with DATABASE_REPLICA_URL the replica's lag may legitimately make it "degraded": test_replica.py)
    assert body["status"] == "ok" or body["checks"]["replica"]["ok"] is False
    assert set(body["checks"]) >= {"database", "cache", "worker", "tasks"}
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert 0 <= body["checks"]["worker"]["last_seen_seconds"] < 60
    assert body["checks"]["tasks"] == {"ok": True, "backend": "django_tasks_db.backend.DatabaseBackend",
                                       "backlog": 0, "ms": body["checks"]["tasks"]["ms"]}


@pytest.mark.django_db
def test_a_stale_worker_or_a_backlog_degrade_but_keep_the_server_in_the_pool(client, settings):
    cache.set(HEARTBEAT_KEY, timezone.now().timestamp() - 600)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "degraded"
    assert response.json()["checks"]["worker"]["ok"] is False


@pytest.mark.django_db
def test_the_task_backlog_counts_ready_tasks(client, settings):
    settings.HEALTH_MAX_TASK_BACKLOG = 1
    worker_heartbeat()
    ping.enqueue("a")
    ping.enqueue("b")
    tasks = client.get("/healthz").json()["checks"]["tasks"]
    assert tasks["backlog"] == 2 and tasks["ok"] is False


@pytest.mark.django_db
def test_a_broken_cache_takes_the_server_out(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "down"
    assert response.json()["checks"]["cache"]["ok"] is False
