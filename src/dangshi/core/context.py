"""Who and where the current request comes from, for the audit log.

Set by RequestContextMiddleware; services read it so that they need no request argument.
A contextvar (not a thread-local) so that it is right under threads and async alike.
"""

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
    """The client address; X-Forwarded-For is trusted only behind a proxy we were told of."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")
