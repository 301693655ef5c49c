"""The one scoping layer every page and endpoint goes through.

A Scope is computed once per request from the user's role bindings:
- office and org admins reach the subtree of each org they are bound to;
- a lecturer reaches the orgs they are bound to (for their own sessions);
- a member reaches their own record (and reads their own org).
Anything outside answers 404, so a request cannot learn whether it exists.
"""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.accounts.selectors import live_token_sql, model_columns
from dangshi.accounts.services import token_touch
from dangshi.orgs.models import Member, Org, Role, RoleBinding


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    is_superuser: bool = False
    office_paths: tuple[str, ...] = ()
    admin_paths: tuple[str, ...] = ()
    lecturer_paths: tuple[str, ...] = ()
    member_id: int | None = None
    member_org_path: str | None = None

    # -- who is this --------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_office(self) -> bool:
        return bool(self.office_paths) or self.is_superuser

    @property
    def is_root_office(self) -> bool:
        """Bound to a root of the tree (or a superuser): sees events filed under no org."""
        return self.is_superuser or any(len(p) <= _step() for p in self.office_paths)

    @property
    def is_admin(self) -> bool:
        """Office or org admin: may manage the orgs and members in reach."""
        return self.is_office or bool(self.admin_paths)

    @property
    def is_lecturer(self) -> bool:
        return bool(self.lecturer_paths)

    @property
    def is_member(self) -> bool:
        return self.member_id is not None

    @property
    def org_paths(self) -> tuple[str, ...]:
        """Roots of the subtrees this user administers, with nested ones removed."""
        if self.is_superuser:
            return ("",)
        paths = sorted(set(self.office_paths + self.admin_paths))
        return tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))

    # -- filters -----------------------------------------------------------
    def org_q(self, field: str = "org") -> Q:
        """Q for rows whose `field` (an FK to Org, or '' for Org itself) lies in reach."""
        prefix = f"{field}__path" if field else "path"
        q = Q(pk__in=[])
        for path in self.org_paths:
            q |= Q(**{f"{prefix}__startswith": path})
        return q

    def orgs(self) -> QuerySet[Org]:
        """Orgs in administrative reach (a member's own org for a member without a role)."""
        if self.org_paths:
            return Org.objects.filter(self.org_q(""))
        if self.member_org_path is not None:
            return Org.objects.filter(path=self.member_org_path)
        return Org.objects.none()

    def members(self) -> QuerySet[Member]:
        if self.org_paths:
            return Member.objects.filter(self.org_q("org"))
        if self.member_id is not None:
            return Member.objects.filter(pk=self.member_id)
        return Member.objects.none()

    def filter(self, qs: QuerySet, *, org_field: str = "org", member_field: str | None = None) -> QuerySet:
        """Scope any queryset with an org FK (and optionally a member FK, for a member's own rows)."""
        q = self.org_q(org_field) if self.org_paths else Q(pk__in=[])
        if member_field and self.member_id is not None:
            q |= Q(**{member_field: self.member_id})
        return qs.filter(q)

    def reaches(self, org: Org) -> bool:
        return any(org.path.startswith(p) for p in self.org_paths)

    def org_or_404(self, code: str) -> Org:
        org = self.orgs().filter(code=code).first()
        if org is None:
            raise Http404(_("未找到该组织。"))
        return org

    def member_or_404(self, member_id: int) -> Member:
        member = self.members().select_related("org").filter(pk=member_id).first()
        if member is None:
            raise Http404(_("未找到该党员。"))
        return member

    def require_admin(self) -> None:
        """Role gate for admin-only pages: outsiders get 404, as for an object out of scope."""
        if not self.is_admin:
            raise Http404(_("页面不存在。"))

    def require_office(self) -> None:
        if not self.is_office:
            raise Http404(_("页面不存在。"))

    @cached_property
    def home_org(self) -> Org | None:
        paths = self.org_paths or ((self.member_org_path,) if self.member_org_path else ())
        return Org.objects.filter(path__in=paths).order_by("path").first() if paths else None


def _step() -> int:
    return settings.ORG_PATH_STEP


ANONYMOUS = Scope()


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    bindings = RoleBinding.objects.filter(user_id=user.pk).values_list("role", "org__path")
    member = Member.objects.filter(user_id=user.pk, active=True).values_list("pk", "org__path").first()
    return scope_of(user, bindings=bindings, member=member)


def scope_of(user, *, bindings, member: tuple[int, str] | None) -> Scope:
    """The Scope of an authenticated user from their (role, org path) bindings and their
    active member record as (id, org path), read by the caller (`scope_for`, or the bearer
    auth, which reads them with the token in one query)."""
    paths = {Role.OFFICE: [], Role.ORG_ADMIN: [], Role.LECTURER: []}
    for role, path in bindings:
        paths[role].append(path)
    return Scope(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        office_paths=tuple(paths[Role.OFFICE]),
        admin_paths=tuple(paths[Role.ORG_ADMIN]),
        lecturer_paths=tuple(paths[Role.LECTURER]),
        member_id=member[0] if member else None,
        member_org_path=member[1] if member else None,
    )


# Columns read for the bearer's member and org; the rest stay deferred (loaded if touched).
# Plain columns only, so the raw row needs no backend converters; the member's encrypted
# phone and ID number are never read (and never decrypted) here.
_MEMBER_FIELDS = {"id", "org_id", "user_id", "name", "gender", "category", "mobile", "youth", "two_new", "active"}
_ORG_FIELDS = {"id", "code", "name", "kind", "parent_id", "path", "depth", "grassroots", "two_new", "mobile",
               "position"}


def scope_for_bearer(key: str):
    """(user, scope) for a live bearer key, or None: the same Scope as `scope_for(user)`, read
    with the token in one statement. Every member's daily quiz submission comes through here,
    and as four ORM queries it was about a third of the submission's CPU (issue #3). The member
    record, with its org, is cached on the user (`user.member`) for the endpoints that act as
    the member."""
    token = live_token_sql()
    member_cols, org_cols = model_columns(Member, _MEMBER_FIELDS), model_columns(Org, _ORG_FIELDS)
    q = connection.ops.quote_name
    sql = f"""
        SELECT {token.select}, b.role, bo.path, {", ".join([f"m.{c}" for c in member_cols] + [f"o.{c}" for c in org_cols])}
        FROM {token.source}
        LEFT JOIN {q(Member._meta.db_table)} m ON m.user_id = u.id AND m.active
        LEFT JOIN {q(Org._meta.db_table)} o ON o.id = m.org_id
        LEFT JOIN {q(RoleBinding._meta.db_table)} b ON b.user_id = u.id
        LEFT JOIN {q(Org._meta.db_table)} bo ON bo.id = b.org_id
        WHERE {token.where}
    """  # noqa: S608 - table and column names come from the models; every value is a parameter
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, token.params(key, now))
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    token_id, last_used = first[0], first[1]
    at = 2 + len(token.user_columns)
    user = token.user(first[2:at])
    role_at, at = at, at + 2
    member = None
    if first[at] is not None:
        member = Member.from_db(connection.alias, member_cols, first[at:at + len(member_cols)])
        member.org = Org.from_db(connection.alias, org_cols, first[at + len(member_cols):])
        user.member = member  # caches both sides of the one-to-one: no query for request.user.member
    token_touch(token_id=token_id, last_used=last_used, now=now)
    bindings = [(r[role_at], r[role_at + 1]) for r in rows if r[role_at] is not None]
    return user, scope_of(user, bindings=bindings, member=(member.pk, member.org.path) if member else None)
