"""Writes: 转为实事 — requests become a practical matter, or are linked to one."""


from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.core.crypto import blank_personal_numbers
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.hotline.models import (
    Action,
    Request,
)
from dangshi.hotline.rules import is_centre, is_handler
from dangshi.hotline.services.requests import _record
from dangshi.orgs.scope import Scope
from dangshi.practical import services as practical_services

if TYPE_CHECKING:
    from dangshi.orgs.models import Org
    from dangshi.practical.models import Matter


# -- practical matters (转为实事) ----------------------------------------------------

def _locked_group(reqs: Iterable[Request], scope: Scope) -> list[Request]:
    """The requests, locked in id order (two conversions of one request at once: the second
    waits, then sees the first's link), each turned over by its centre or its handling org,
    all of one 问题分类."""
    ids = sorted({r.pk for r in reqs})
    if not ids:
        raise Invalid(_("请选择工单。"), field="requests")
    locked = list(Request.objects.select_related("org", "intake_org", "matter").select_for_update(of=("self",))
                  .filter(pk__in=ids).order_by("pk"))
    for req in locked:
        if not (is_centre(scope, req) or is_handler(scope, req)):
            raise Refused(_("只有热线受理中心或主办单位可以将工单转为实事。"))
    if len({(r.category_1, r.category_2, r.category_3) for r in locked}) > 1:
        raise Invalid(_("一并处理的工单须属于同一问题分类。"), field="requests")
    return locked


def _category(req: Request) -> str:
    return "/".join(c for c in (req.category_1, req.category_2, req.category_3) if c) or _("未分类")


def _link(reqs: list[Request], matter: Matter, *, actor, now: datetime) -> None:
    """Point the (locked) requests at `matter`, one update row each."""
    Request.objects.filter(pk__in=[r.pk for r in reqs]).update(matter=matter)
    for req in reqs:
        before = req.matter
        req.matter = matter
        note = _("关联实事“%(t)s”(编号 %(id)d)") % {"t": matter.title, "id": matter.pk}
        if before is not None:
            note += _(",原关联实事编号 %(id)d") % {"id": before.pk}
        _record(req, Action.LINK, actor=actor, at=now, note=note, org=req.org, data={"matter": matter.pk})


def requests_to_matter(*, reqs: Iterable[Request], scope: Scope, actor, title: str, description: str = "",
                       org: Org | None = None, now: datetime | None = None) -> Matter:
    """转为实事: one request, or several of one 问题分类, become a new draft practical matter of
    `org` (default: the handling org, when in the user's reach, else the user's own org),
    and are linked to it. The matter's description is what the user wrote, with phone and ID
    numbers blanked, and a line citing the request numbers: never a caller's name or phone."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_group(reqs, scope)
        taken = next((r for r in locked if r.matter_id), None)
        if taken is not None:
            raise Conflict(_("工单 %(n)s 已关联实事“%(t)s”。") % {"n": taken.number, "t": taken.matter.title})
        first = locked[0]
        if org is None:
            org = first.org if first.org_id and scope.reaches(first.org) else scope.home_org
        cited = _("由 12345 市民诉求转为实事。问题分类:%(c)s;相关工单 %(n)d 件:%(numbers)s。") % {
            "c": _category(first), "n": len(locked), "numbers": "、".join(r.number for r in locked)}
        text = "\n\n".join(p for p in (blank_personal_numbers(description.strip()), cited) if p)
        source = f"12345:{first.number}" + (f"+{len(locked) - 1}" if len(locked) > 1 else "")
        matter = practical_services.matter_draft_from_source(org=org, title=blank_personal_numbers(title.strip()), description=text,
                                          source_ref=source, actor=actor, scope=scope)
        _link(locked, matter, actor=actor, now=now)
    return matter


def requests_link_matter(*, reqs: Iterable[Request], scope: Scope, actor, matter: Matter,
                         now: datetime | None = None) -> Matter:
    """Link requests (one 问题分类) to an existing practical matter the user reaches; a request
    linked elsewhere moves, and its update row names the matter it left."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_group(reqs, scope)
        moving = [r for r in locked if r.matter_id != matter.pk]
        if not moving:
            raise Conflict(_("所选工单已关联该实事。"))
        practical_services.matter_source_linked(matter=matter, actor=actor, scope=scope, source="12345", count=len(moving))
        _link(moving, matter, actor=actor, now=now)
    return matter
