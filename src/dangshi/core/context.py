"""Who and where the current request comes from, for the audit log.

Set by RequestContextMiddleware; services read it so that they need no request argument.
A contextvar (not a thread-local) so that it is right under threads and async alike.
"""

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""


_current: ContextVar[RequestContext] = ContextVar("dangshi_request", default=RequestContext())  # noqa: B039 - frozen, never mutated


def current() -> RequestContext:
    return _current.get()


def bind(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)


def client_ip(request) -> str | None:
    """The client address used by rate limits, the login lock and the audit log.

    REMOTE_ADDR, unless settings.TRUST_X_FORWARDED_FOR: then the entry of X-Forwarded-For
    that the outermost trusted proxy appended (the TRUSTED_PROXY_COUNT-th from the right).
    Entries to the left of it were written by the client and are never believed."""
    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.TRUST_X_FORWARDED_FOR:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    count = settings.TRUSTED_PROXY_COUNT
    if len(entries) < count:
        return remote  # fewer hops than proxies configured: the request did not come through them all
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
