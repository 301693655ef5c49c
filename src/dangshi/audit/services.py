"""log_event: the one way anything is written to the audit trail."""

from datetime import UTC
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_datetime

from dangshi.audit.models import AuditEvent
from dangshi.core.context import current
from dangshi.core.crypto import blank_personal_numbers

# Keys whose values are personal data: never stored, whatever the caller passes.
_PII_KEYS = {"phone", "mobile", "id_number", "idcard", "id_card", "password", "contact_phone", "caller_phone"}


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("[removed]" if k.lower() in _PII_KEYS else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    if isinstance(value, str):
        return blank_personal_numbers(value, "[removed]")  # a phone or ID number, wherever it hides
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)


def log_event(action: str, *, actor=None, obj=None, data: dict | None = None, org=None) -> AuditEvent:
    """Append one audit row: who (`actor`), what (`action`, `obj`), when, from where (the request's IP).

    `org` (or `obj.org`) files the event under an org so that scoped readers find it.
    Personal data in `data` is removed before it is written. Subscribers (see below)
    are called with the event and `obj`.
    """
    if org is None and obj is not None:
        org = getattr(obj, "org", None) if not hasattr(obj, "path") else obj
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=str(getattr(actor, "username", "") or "")[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        org_path=getattr(org, "path", "") or "",
        data=_scrub(data or {}),
        ip=current().ip,
    )
    _insert(event)
    _dispatch(event, obj)
    return event


_COLUMNS = ("actor_id", "actor_label", "action", "object_type", "object_id", "org_path", "data", "ip")


def _insert(event: AuditEvent) -> None:
    """One INSERT … RETURNING id, at, by hand rather than `objects.create`: every write of the
    app comes through here (twice per daily quiz submission), and the ORM's save machinery cost
    about 0.4 ms of CPU more per row (measured, docs/perf/quiz.md). Values are prepared by the
    fields themselves, as `save()` would."""
    fields = [AuditEvent._meta.get_field(name) for name in _COLUMNS]
    values = [field.get_db_prep_save(getattr(event, field.attname), connection) for field in fields]
    sql = (f"INSERT INTO {connection.ops.quote_name(AuditEvent._meta.db_table)} ({', '.join(_COLUMNS)})"  # noqa: S608
           f" VALUES ({', '.join(['%s'] * len(_COLUMNS))}) RETURNING id, at")
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        event.pk, at = cursor.fetchone()
    if isinstance(at, str):  # SQLite returns the database default as text
        at = parse_datetime(at)
    event.at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    event._state.adding = False


# -- subscribers -----------------------------------------------------------------
# The event log doubles as the bus between modules: `learning` awards points when a
# quiz is finished, `outreach` records an activity when a group visit is held, and so
# on, without the writer importing the reader. Handlers run synchronously after the
# row is written, inside the caller's transaction, so they land (or fail) with it.

_subscribers: list[tuple[str, object]] = []


def subscribe(action_prefix: str):
    """Decorator: call `handler(event)` for every event whose action starts with the prefix.
    Register in the subscribing app's AppConfig.ready()."""

    def register(handler):
        if (action_prefix, handler) not in _subscribers:
            _subscribers.append((action_prefix, handler))
        return handler

    return register


def _dispatch(event: AuditEvent, obj) -> None:
    for prefix, handler in _subscribers:
        if event.action.startswith(prefix):
            handler(event, obj)


def admin_write_record(sender, *, action: str, actor, obj, data: dict, **kwargs) -> None:
    """Receiver of `core.admin.admin_write`: a superuser's write through the admin."""
    log_event(action, actor=actor, obj=obj, data=data)
