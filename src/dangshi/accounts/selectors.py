"""Reads of logins and tokens that other code may use."""

import hashlib
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from dangshi.accounts.models import AccountState, ApiToken, LoginLock, LoginThrottle, User

__all__ = ["AccountState", "live_token_sql", "login_locks_active", "pending_q", "token_digest", "user_by_username"]


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# Columns read for the request's user; the rest stay deferred (loaded if touched). Plain
# columns only, so the raw row needs no backend converters.
_USER_FIELDS = {"id", "username", "first_name", "last_name", "email", "is_staff", "is_active", "is_superuser",
                "display_name"}


def model_columns(model, wanted: set[str]) -> list[str]:
    """`wanted` in the model's field order, as `Model.from_db` takes a subset."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in wanted]


@dataclass(frozen=True)
class LiveTokenSql:
    """The SQL that finds a live bearer token `t` and its active user `u`, for a caller that
    joins more onto it in the same statement (the scope's one-query bearer read,
    `orgs.scope.scope_for_bearer`). `select` is t.id, t.last_used_at, then `user_columns`."""

    select: str
    source: str
    where: str
    user_columns: tuple[str, ...]

    def params(self, key: str, now) -> list:
        return [token_digest(key), connection.ops.adapt_datetimefield_value(now)]

    def user(self, values) -> User:
        return User.from_db(connection.alias, list(self.user_columns), values)


def live_token_sql() -> LiveTokenSql:
    q = connection.ops.quote_name
    cols = tuple(model_columns(User, _USER_FIELDS))
    return LiveTokenSql(
        select=", ".join(["t.id", "t.last_used_at", *(f"u.{c}" for c in cols)]),
        source=f"{q(ApiToken._meta.db_table)} t JOIN {q(User._meta.db_table)} u ON u.id = t.user_id AND u.is_active",
        where="t.digest = %s AND t.revoked_at IS NULL AND t.expires_at > %s",
        user_columns=cols,
    )


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def pending_q(prefix: str = ""):
    """Q for accounts not yet activated (active, no activation, no usable password), on User
    or through a relation (`prefix`="user" from Member)."""
    p = f"{prefix}__" if prefix else ""
    return Q(**{f"{p}is_active": True, f"{p}activated_at__isnull": True, f"{p}password__startswith": "!"})


def login_locks_active() -> list[dict]:
    """Accounts refused at login now: by the account-wide ceiling or by a pair's lock, one line
    per username (the addresses of the pairs are not shown: they are the attackers' as often
    as the owner's)."""
    now = timezone.now()
    ceilings: QuerySet = LoginLock.objects.filter(locked_until__gt=now)
    pairs: QuerySet = LoginThrottle.objects.filter(locked_until__gt=now)
    rows: dict[str, dict] = {}
    for lock in ceilings:
        rows[lock.username] = {"username": lock.username, "ceiling": True, "failures": lock.failures,
                               "locked_until": lock.locked_until, "pairs": 0}
    for pair in pairs:
        row = rows.setdefault(pair.username, {"username": pair.username, "ceiling": False, "failures": 0,
                                              "locked_until": pair.locked_until, "pairs": 0})
        row["pairs"] += 1
        row["failures"] = max(row["failures"], pair.failures)
        row["locked_until"] = max(row["locked_until"], pair.locked_until)
    return sorted(rows.values(), key=lambda r: (not r["ceiling"], r["username"]))
