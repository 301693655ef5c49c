"""Pieces every module's API router shares: auth, pagination, error bodies."""

from datetime import UTC
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from ninja.security import HttpBearer, SessionAuth


class BearerToken(HttpBearer):
    """`Authorization: Bearer <key>`: the token's user and their scope, read in one query.

    Every member's daily quiz submission comes through here (issue #3). As `token_user` +
    `scope_for` + the member's own record it was four ORM queries and about a third of the
    submission's CPU; `bearer_identity` reads the same in one statement, with the same rules."""

    def authenticate(self, request, token):
        found = bearer_identity(token)
        if found is None:
            return None
        request.user, request.scope = found
        return request.user


# Columns read for the request's user, member and org; the rest stay deferred (loaded if
# touched). Plain columns only, so the raw row needs no backend converters; the member's
# encrypted phone and ID number are never read (and never decrypted) here.
_USER_FIELDS = {"id", "username", "first_name", "last_name", "email", "is_staff", "is_active", "is_superuser",
                "display_name"}
_MEMBER_FIELDS = {"id", "org_id", "user_id", "name", "gender", "category", "mobile", "youth", "two_new", "active"}
_ORG_FIELDS = {"id", "code", "name", "kind", "parent_id", "path", "depth", "grassroots", "two_new", "mobile",
               "position"}


def _columns(model, wanted: set[str]) -> list[str]:
    """`wanted` in the model's field order, as `Model.from_db` takes a subset."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in wanted]


def bearer_identity(key: str):
    """(user, scope) for a valid bearer key, or None: what `accounts.services.token_user` and
    `orgs.scope.scope_for` decide (token not revoked nor expired, user active; the user's
    role bindings and active member record), in one query. The user's member record, with
    its org, is cached on the user (`user.member`) for the endpoints that act as the member."""
    from django.db import connection
    from django.utils import timezone

    from dangshi.accounts.models import ApiToken, User
    from dangshi.accounts.services import TOKEN_TOUCH, token_digest
    from dangshi.orgs.models import Member, Org, RoleBinding
    from dangshi.orgs.scope import scope_of

    user_cols, member_cols, org_cols = (_columns(User, _USER_FIELDS), _columns(Member, _MEMBER_FIELDS),
                                        _columns(Org, _ORG_FIELDS))
    select = [f"u.{c}" for c in user_cols] + [f"m.{c}" for c in member_cols] + [f"o.{c}" for c in org_cols]
    q = connection.ops.quote_name
    sql = f"""
        SELECT t.id, t.last_used_at, b.role, bo.path, {", ".join(select)}
        FROM {q(ApiToken._meta.db_table)} t
        JOIN {q(User._meta.db_table)} u ON u.id = t.user_id AND u.is_active
        LEFT JOIN {q(Member._meta.db_table)} m ON m.user_id = u.id AND m.active
        LEFT JOIN {q(Org._meta.db_table)} o ON o.id = m.org_id
        LEFT JOIN {q(RoleBinding._meta.db_table)} b ON b.user_id = u.id
        LEFT JOIN {q(Org._meta.db_table)} bo ON bo.id = b.org_id
        WHERE t.digest = %s AND t.revoked_at IS NULL AND t.expires_at > %s
    """  # noqa: S608 - table and column names come from the models; every value is a parameter
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, [token_digest(key), connection.ops.adapt_datetimefield_value(now)])
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    token_id, last_used = first[0], first[1]
    at = 4
    user = User.from_db(connection.alias, user_cols, first[at:at + len(user_cols)])
    at += len(user_cols)
    member = None
    if first[at] is not None:
        member = Member.from_db(connection.alias, member_cols, first[at:at + len(member_cols)])
        member.org = Org.from_db(connection.alias, org_cols, first[at + len(member_cols):])
        user.member = member  # caches both sides of the one-to-one: no query for request.user.member
    if last_used is not None and last_used.tzinfo is None:  # SQLite's raw rows are naive UTC
        last_used = last_used.replace(tzinfo=UTC)
    if last_used is None or now - last_used > TOKEN_TOUCH:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)  # throttled: not a write per request
    bindings = [(r[2], r[3]) for r in rows if r[2] is not None]
    scope = scope_of(user, bindings=bindings, member=(member.pk, member.org.path) if member else None)
    return user, scope


class Session(SessionAuth):
    """Session auth with CSRF on unsafe methods (ninja's default for cookies)."""


AUTH = [BearerToken(), Session()]


class Paged(PaginationBase):
    """`?page=` (from 1) and `?page_size=` (up to 500); answers `{"items": [...], "count": N}`."""

    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=500)

    items_attribute = "items"

    class Output(Schema):
        items: list[Any]
        count: int

    def paginate_queryset(self, queryset, pagination: Input, **params):
        start = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[start : start + pagination.page_size]),
            "count": queryset.count() if hasattr(queryset, "count") and not isinstance(queryset, list) else len(queryset),
        }


class ErrorOut(Schema):
    code: str
    message: str


def not_found(what: str = "") -> Http404:
    return Http404(what or _("未找到。"))
