"""What `/healthz` reports, for load balancers and operators.

`status` is "down" (HTTP 503) only when this app server cannot serve: its database or its
cache fails. A stale worker heartbeat, a task backlog or replica lag beyond its limit make
it "degraded" (still 200): they are not this server's fault, and taking every server out
of the pool for them would only add an outage.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dangshi.core.replica import PRIMARY, REPLICA, replica_configured
from dangshi.core.tasks import HEARTBEAT_KEY

try:
    import django_rq
except ImportError:  # the `redis` extra is not installed: no RQ backend either
    django_rq = None

_PROBE_KEY = "healthz:probe"


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        result = {"ok": True, **(check() or {})}
    except Exception as exc:  # noqa: BLE001 (a health check reports every failure, it does not raise)
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def _database():
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    token = str(time.time())
    cache.set(_PROBE_KEY, token, timeout=60)
    if cache.get(_PROBE_KEY) != token:
        raise RuntimeError("the cache did not return what was just written")


def _worker():
    seen = cache.get(HEARTBEAT_KEY)
    if seen is None:
        return {"ok": False, "last_seen_seconds": None}
    age = round(timezone.now().timestamp() - seen, 1)
    return {"ok": age <= settings.HEALTH_WORKER_MAX_AGE_SECONDS, "last_seen_seconds": age}


def _tasks():
    kind = type(task_backends["default"])
    backend = f"{kind.__module__}.{kind.__name__}"
    if backend.startswith("django_tasks_db"):
        backlog = DBTaskResult.objects.ready().count()
    elif backend.startswith("django_tasks_rq") and django_rq is not None:
        backlog = django_rq.get_queue("default").count
    else:
        return {"backend": backend, "backlog": None}
    return {"ok": backlog <= settings.HEALTH_MAX_TASK_BACKLOG, "backend": backend, "backlog": backlog}


# Caught up (all received WAL replayed): 0. Otherwise the age of the last replayed transaction,
# which overstates the lag after the primary was idle: a lag alarm, not a measurement.
_LAG_SQL = """
SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""


def _replica():
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(_LAG_SQL)
        lag = cursor.fetchone()[0]
    lag = None if lag is None else round(float(lag), 2)
    return {"ok": lag is not None and lag <= settings.HEALTH_REPLICA_MAX_LAG_SECONDS, "lag_seconds": lag}


def health() -> tuple[str, dict]:
    checks = {"database": _timed(_database), "cache": _timed(_cache), "worker": _timed(_worker),
              "tasks": _timed(_tasks)}
    if replica_configured():
        checks["replica"] = _timed(_replica)
    if not (checks["database"]["ok"] and checks["cache"]["ok"]):
        status = "down"
    elif all(c["ok"] for c in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return status, checks
