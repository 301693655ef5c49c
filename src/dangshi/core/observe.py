"""Structured request logs with a request id, and Prometheus metrics behind a setting.

Every request gets an id (the proxy's `X-Request-ID` when TRUST_X_FORWARDED_FOR says the
proxy is ours, else a new one), sent back in `X-Request-ID` and logged as one JSON line on
the `dangshi.request` logger: id, method, path (never the query string: searches carry
names and phone numbers), view, status, duration, user id, client IP.

With METRICS=1, `/metrics` serves Prometheus text to the addresses of METRICS_ALLOWED_IPS
(404 to everyone else, and to all without METRICS): request counts and durations by view,
the task backlog and the worker heartbeat's age. Several granian workers share their counters
through prometheus_client's multiprocess mode when PROMETHEUS_MULTIPROC_DIR is set.
"""

import json
import logging
import re
import time
import uuid

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.functional import empty
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from dangshi.core import context
from dangshi.core.health import health

log = logging.getLogger("dangshi.request")

REQUESTS = Counter("dangshi_requests_total", "HTTP requests answered", ["method", "view", "status"])
DURATION = Histogram("dangshi_request_duration_seconds", "Time to answer a request", ["view"],
                     buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _request_id(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if settings.TRUST_X_FORWARDED_FOR and _VALID_ID.match(given):
        return given
    return uuid.uuid4().hex


def _user_id(request):
    user = getattr(request, "user", None)
    # Never load the user just to log it: only a user the request already loaded.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestObserverMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = _request_id(request)
        started = time.monotonic()
        response = self.get_response(request)
        elapsed = time.monotonic() - started
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unresolved"
        response["X-Request-ID"] = request.id
        log.info(json.dumps({
            "request_id": request.id, "method": request.method, "path": request.path, "view": view,
            "status": response.status_code, "ms": round(elapsed * 1000, 1), "user": _user_id(request),
            "ip": context.client_ip(request),
        }, ensure_ascii=False))
        if settings.METRICS:
            REQUESTS.labels(request.method, view, str(response.status_code)).inc()
            DURATION.labels(view).observe(elapsed)
        return response


def metrics_text() -> bytes:
    registry = REGISTRY
    if settings.PROMETHEUS_MULTIPROC_DIR:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    _, checks = health()
    extra = CollectorRegistry()
    backlog = checks["tasks"].get("backlog")
    if backlog is not None:
        Gauge("dangshi_task_backlog", "Tasks ready and not yet run", registry=extra).set(backlog)
    age = checks["worker"].get("last_seen_seconds")
    if age is not None:
        Gauge("dangshi_worker_heartbeat_age_seconds", "Seconds since a worker last ran a task",
              registry=extra).set(age)
    if "replica" in checks and checks["replica"].get("lag_seconds") is not None:
        Gauge("dangshi_replica_lag_seconds", "Replay lag of the read replica", registry=extra).set(
            checks["replica"]["lag_seconds"])
    return generate_latest(registry) + generate_latest(extra)


def metrics_response(request) -> HttpResponse:
    if not settings.METRICS or context.client_ip(request) not in settings.METRICS_ALLOWED_IPS:
        raise Http404
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)
