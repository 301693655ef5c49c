"""Reads that may be a few seconds stale go to the streaming replica; everything else to the primary.

Where `DATABASE_REPLICA_URL` is set (settings.py adds the `replica` alias and this router),
a view or function opts in explicitly with `reads_from_replica` (a decorator or a context
manager): dashboards, reports, rankings, exports and statistics. Every other read, and every
write, goes to the primary. Once the request has written anything (any statement on the
primary that is not a read), or while a transaction is open on the primary, its reads stay
on the primary: a user never reads past their own write. Without a replica all of this is a
no-op.
"""

from collections.abc import Callable
from contextlib import ContextDecorator
from contextvars import ContextVar

from django.db import connections

REPLICA = "replica"
PRIMARY = "default"

_replica_wanted: ContextVar[bool] = ContextVar("replica_wanted", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote_on_primary", default=False)

_READS = ("SELECT", "SHOW", "EXPLAIN", "WITH")


def replica_configured() -> bool:
    return REPLICA in connections.settings


def using_replica() -> bool:
    """True where a read now would go to the replica."""
    return (
        _replica_wanted.get()
        and not _wrote.get()
        and replica_configured()
        and not connections[PRIMARY].in_atomic_block
    )


class reads_from_replica(ContextDecorator):  # noqa: N801 (reads as a statement: `with reads_from_replica():`)
    """Mark reads that may be a few seconds stale; they go to the replica if there is one."""

    def __enter__(self):
        self._token = _replica_wanted.set(True)
        return self

    def __exit__(self, *exc):
        _replica_wanted.reset(self._token)
        return False


def note_write() -> None:
    """Keep this request's later reads on the primary."""
    _wrote.set(True)


def _watch_writes(execute, sql, params, many, context):
    if not sql.lstrip()[:8].upper().startswith(_READS) or "FOR UPDATE" in sql.upper():
        note_write()
    return execute(sql, params, many, context)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if using_replica() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaMiddleware:
    """Watches the request's statements on the primary so reads after a write stay there."""

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        token = _wrote.set(False)
        try:
            with connections[PRIMARY].execute_wrapper(_watch_writes):
                return self.get_response(request)
        finally:
            _wrote.reset(token)
