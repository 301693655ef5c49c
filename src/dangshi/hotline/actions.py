"""One entry point for the console and the API: an action name and its form fields → one service.
Which actions a user may take is the services' rule (`rules.py`, `selectors.actions_allowed`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext as _

from dangshi.errors import Invalid
from dangshi.hotline import services
from dangshi.hotline.models import Extension, Request
from dangshi.hotline.selectors import request_scoped
from dangshi.orgs.scope import Scope
from dangshi.practical.selectors import matter_or_404

if TYPE_CHECKING:
    from dangshi.practical.models import Matter

MAX_GROUP = 200  # requests turned into one matter at once


def _int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Invalid(_("请填写整数。"), field=field) from None


def perform(*, scope: Scope, actor, req: Request, data) -> object:
    action = data.get("action", "")
    common = {"req": req, "scope": scope, "actor": actor}
    note = (data.get("note") or "").strip()
    if action == "dispatch":
        orgs = scope.orgs()
        org = orgs.filter(code=data.get("org", "")).first()
        if org is None:
            raise Invalid(_("请选择主办单位。"), field="org")
        codes = _list(data, "co_orgs")
        return services.request_dispatch(org=org, co_orgs=list(orgs.filter(code__in=codes)), note=note, **common)
    if action == "answer":
        return services.request_answer(note=note, **common)
    if action == "return":
        return services.request_return(reason=note, **common)
    if action == "sign":
        return services.request_sign(**common)
    if action == "start":
        return services.request_start(note=note, **common)
    if action == "reply":
        return services.request_reply(reply=note, **common)
    if action == "callback":
        return services.request_callback(resolution=data.get("resolution", ""), satisfaction=data.get("satisfaction", ""),
                                         note=note, **common)
    if action == "close":
        return services.request_close(**common)
    if action == "reopen":
        return services.request_reopen(reason=note, **common)
    if action == "extend_ask":
        return services.extension_ask(hours=_int(data.get("hours"), "hours"), reason=note, **common)
    if action == "extend_decide":
        ext = req.extensions.filter(decision=Extension.Decision.PENDING).first()
        if ext is None:
            raise Invalid(_("没有待审批的延期申请。"), field="action")
        return services.extension_decide(ext=ext, scope=scope, actor=actor, approve=data.get("approve") in ("1", True))
    if action == "escalate":
        return services.request_escalate(note=note, **common)
    raise Invalid(_("未知的操作。"), field="action")


def matter_perform(*, scope: Scope, actor, req: Request, data) -> tuple[Matter, bool]:
    """转为实事 or 关联实事 for `req` and the other requests named in `requests` (ids):
    with a `matter` (id) the requests are linked to that matter, else they become a new
    draft matter (`title`, `description`, owner org `org` by code). Requests and matter out
    of the user's reach answer 404. Returns (matter, created)."""
    ids = {_int(v, "requests") for v in _list(data, "requests")} - {req.pk}
    if len(ids) >= MAX_GROUP:
        raise Invalid(_("一次最多处理 %(n)d 件工单。") % {"n": MAX_GROUP}, field="requests")
    others = list(request_scoped(scope=scope).filter(pk__in=ids))
    if len(others) != len(ids):
        raise Http404(_("未找到该工单。"))
    reqs = [req, *others]
    if data.get("matter") not in (None, ""):
        matter = matter_or_404(scope=scope, matter_id=_int(data.get("matter"), "matter"))
        return services.requests_link_matter(reqs=reqs, scope=scope, actor=actor, matter=matter), False
    org = scope.org_or_404(data["org"]) if data.get("org") else None
    return services.requests_to_matter(reqs=reqs, scope=scope, actor=actor, title=data.get("title") or "",
                                       description=data.get("description") or "", org=org), True


def _list(data, key: str) -> list:
    return data.getlist(key) if hasattr(data, "getlist") else list(data.get(key) or [])
