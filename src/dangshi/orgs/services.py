"""Writes to the org tree, members and role bindings."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.accounts.selectors import pending_q
from dangshi.accounts.services import (
    ACTIVATION_DAYS,
    activation_issue,
    sign_in_code_check,
    sign_in_code_issue,
    users_create_pending,
)
from dangshi.audit.services import log_event
from dangshi.core.crypto import digest
from dangshi.core.phones import normalise_phone
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.messaging.services import sms_queue
from dangshi.orgs.activation import SheetRow, activation_url, sheet_csv, sheet_pdf
from dangshi.orgs.models import Member, Org
from dangshi.orgs.scope import Scope

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def path_segment(n: int) -> str:
    """The n-th child's segment (1-based), base 36, fixed width."""
    step = settings.ORG_PATH_STEP
    if not 0 < n < 36**step:
        raise Conflict(_("下级组织数量超过上限。"))
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
    return out.rjust(step, "0")


def org_create(*, code: str, name: str, kind: str, parent: Org | None, actor=None, **fields) -> Org:
    """Add an org under `parent` (None for a root). The parent row is locked while the
    next path segment is chosen, so two concurrent adds cannot take the same path."""
    if Org.objects.filter(code=code).exists():
        raise Invalid(_("组织编码已存在:%(code)s") % {"code": code}, field="code")
    with transaction.atomic():
        if parent is not None:
            parent = Org.objects.select_for_update().get(pk=parent.pk)
            last = parent.children.order_by("-path").values_list("path", flat=True).first()
            prefix, depth = parent.path, parent.depth + 1
        else:
            last = Org.objects.filter(depth=0).order_by("-path").values_list("path", flat=True).first()
            prefix, depth = "", 0
        n = int(last[-settings.ORG_PATH_STEP :], 36) + 1 if last else 1
        org = Org.objects.create(
            code=code, name=name, kind=kind, parent=parent, path=prefix + path_segment(n), depth=depth, **fields
        )
        log_event("orgs.org.created", actor=actor, obj=org, data={"code": code, "name": name, "kind": kind})
    return org




def member_build(*, org: Org, name: str, gender: str, id_number: str = "", phone: str = "", **fields) -> Member:
    """An unsaved Member with its ID and phone digests set; callers save or bulk_create it
    (then `member_accounts_create`)."""
    return Member(
        org=org,
        name=name,
        gender=gender,
        id_number=id_number,
        id_digest=digest(id_number) if id_number else None,
        phone=phone,
        phone_digest=digest(phone) if phone else None,
        **fields,
    )




def member_accounts_create(*, members: list[Member]) -> None:
    """Every member on the roster has an account from the day they are added: pending until
    they activate it (a link from their branch, an SMS code). Call it with the new members
    before they are inserted (`bulk_create` then writes their user ids with them: one write per
    member, measured in bench/member_accounts.py), or with saved ones. Members never need their
    username: it is generated, and nobody can sign in with it before the account is activated."""
    members = [m for m in members if m.user_id is None]
    users = users_create_pending(people=[(f"m{secrets.token_hex(6)}", m.name) for m in members])
    for member, user in zip(members, users, strict=True):
        member.user = user
    saved = [m for m in members if m.pk is not None]
    if saved:
        Member.objects.bulk_update(saved, ["user"], batch_size=1000)




# -- ways in for members (issue 14) ----------------------------------------------------
def _member_by_phone(phone: str) -> Member | None:
    """The one active member with this phone on record (none if two share it: a code would
    reach the wrong person)."""
    found = list(Member.objects.filter(phone_digest=digest(phone), active=True).select_related("user", "org")[:2])
    return found[0] if len(found) == 1 and found[0].user_id else None


def sms_sign_in_request(*, phone: str, client: str) -> None:
    """Send a sign-in code to the phone on record. The caller answers the same whether or not
    the phone is known; a malformed number is the only thing it is told."""
    phone = normalise_phone(phone, field="phone")
    member = _member_by_phone(phone)
    code = sign_in_code_issue(user=member.user if member else None, rate_key=digest(phone), client=client)
    if code:
        sms_queue(phone=phone, purpose="sign_in", org_path=member.org.path,
                  text=_("【党史学习】您的登录验证码为 %(code)s，5 分钟内有效。如非本人操作，请忽略。") % {"code": code})


def sms_sign_in_verify(*, phone: str, code: str):
    """The member's user, if `code` is the code sent to `phone`."""
    phone = normalise_phone(phone, field="phone")
    member = _member_by_phone(phone)
    return sign_in_code_check(user=member.user if member else None, code=code)


def activation_sheet(*, scope: Scope, org: Org, fmt: str, actor=None) -> tuple[bytes, str]:
    """New one-time links for the pending members of `org`'s subtree, as PDF cards or CSV rows;
    older open links of those members stop working. Returns (file, filename)."""
    if not (scope.is_admin and (scope.is_superuser or scope.reaches(org))):
        raise Refused(_("您无权为该组织发放激活链接。"))
    if fmt not in ("pdf", "csv"):
        raise Invalid(_("格式应为 pdf 或 csv。"), field="format")
    members = list(Member.objects.filter(pending_q("user"), org__path__startswith=org.path, active=True)
                   .select_related("user", "org").order_by("org__path", "id"))
    with transaction.atomic():
        keys = activation_issue(users=[m.user for m in members], actor=actor)
        log_event("orgs.activation.sheet", actor=actor, obj=org, data={"members": len(members), "format": fmt})
    expires = timezone.now() + timedelta(days=ACTIVATION_DAYS)
    rows = [SheetRow(name=m.name, org=m.org.name, url=activation_url(keys[m.user_id]), expires=expires)
            for m in members]
    title = _("%(org)s 党员激活单") % {"org": org.name}
    body = sheet_pdf(rows, title=title) if fmt == "pdf" else sheet_csv(rows)
    return body, f"{org.name}-激活单.{fmt}"


def member_reset_link(*, scope: Scope, member: Member, actor=None) -> str:
    """A password reset by the branch: a new one-time link for one member (whatever the state
    of their account), shown once to the admin who asked, to pass on."""
    if not (scope.is_admin and (scope.is_superuser or scope.reaches(member.org))) or member.user_id is None:
        raise Refused(_("您无权为该党员发放激活链接。"))
    with transaction.atomic():
        key = activation_issue(users=[member.user], actor=actor)[member.user_id]
        log_event("orgs.member.reset_link", actor=actor, obj=member, org=member.org)
    return activation_url(key)
