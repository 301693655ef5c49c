"""Writes to the org tree, members and role bindings."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core.crypto import digest
from dangshi.errors import Conflict, Invalid
from dangshi.orgs.models import Member, Org

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
    """An unsaved Member with its ID digest set; callers save or bulk_create it."""
    return Member(
        org=org,
        name=name,
        gender=gender,
        id_number=id_number,
        id_digest=digest(id_number) if id_number else None,
        phone=phone,
        **fields,
    )
