"""Writes: the life of a request, one service per step of the state machine.

received → answered | dispatched (主办 + 协办) → signed → in_progress → replied → callback
→ closed, or reopened; a dispatched request may be returned (退单, capped) to the centre,
which dispatches it again. Every step locks the request row (two operators acting on one
request at once: the second sees the state the first left) and writes one Update row.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core.crypto import digest
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.hotline import selectors
from dangshi.hotline.models import (
    HANDLING_STATES,
    Action,
    Callback,
    Channel,
    CoOrg,
    Extension,
    Kind,
    Request,
    Resolution,
    Satisfaction,
    ServiceType,
    State,
    Update,
)
from dangshi.hotline.rules import TRANSITIONS, is_centre, is_handler
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import org_root

if TYPE_CHECKING:
    from dangshi.orgs.models import Org


def max_returns() -> int:
    return settings.HOTLINE_MAX_RETURNS


# -- guards ----------------------------------------------------------------------


def _require_centre(scope: Scope, req: Request) -> None:
    if not is_centre(scope, req):
        raise Refused(_("只有热线受理中心可以执行此操作。"))


def _require_handler(scope: Scope, req: Request) -> None:
    if not is_handler(scope, req):
        raise Refused(_("只有主办单位可以执行此操作。"))


def _locked(req: Request) -> Request:
    return Request.objects.select_related("org", "intake_org", "service").select_for_update(of=("self",)).get(pk=req.pk)


def _step(req: Request, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if req.state not in sources:
        raise Conflict(_("工单当前状态为“%(s)s”,不能%(a)s。") % {"s": State(req.state).label, "a": Action(action).label})
    return target


def _record(req: Request, action: str, *, actor, at: datetime, note: str = "", org: Org | None = None,
            data: dict | None = None) -> Update:
    update = Update.objects.create(
        request=req, action=action, state=req.state, org=org, note=note, at=at,
        actor=actor if getattr(actor, "pk", None) else None, actor_label=str(getattr(actor, "username", "") or "")[:150],
    )
    log_event(f"hotline.request.{action}", actor=actor, obj=req, org=req.org or req.intake_org,
              data={"number": req.number, "state": req.state, **(data or {})})
    return update


def new_number(prefix: str = "W", now: datetime | None = None) -> str:
    now = timezone.localtime(now or timezone.now())
    return f"{prefix}{now:%Y%m%d}{secrets.randbelow(10**8):08d}"


def request_create(*, intake_org: Org, channel: str, kind: str, content: str, service: ServiceType,
                   caller_name: str = "", caller_phone: str = "", address: str = "", lat: float | None = None,
                   long: float | None = None, actor=None, now: datetime | None = None) -> Request:
    """A new request from the public form or Open311 (imports go through `intake.py`)."""
    if kind not in Kind.values:
        raise Invalid(_("诉求类型无效。"), field="kind")
    if not content.strip():
        raise Invalid(_("请填写诉求内容。"), field="content")
    now = now or timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                req = Request.objects.create(
                    number=new_number("W" if channel == Channel.FORM else "O", now), channel=channel,
                    intake_org=intake_org, received_at=now, caller_name=caller_name.strip(),
                    caller_phone=caller_phone.strip(), caller_phone_digest=digest(caller_phone.strip()) if caller_phone.strip() else "",
                    kind=kind, content=content.strip(), address=address.strip(), lat=lat, long=long,
                    service=service, token=secrets.token_hex(8) if channel == Channel.OPEN311 else None,
                )
                _record(req, Action.RECEIVE, actor=actor, at=now)
                return req
        except IntegrityError:  # the random number (or token) was taken: draw again
            continue
    raise Conflict(_("工单编号生成失败,请重试。"))


def request_submit_public(*, kind: str, service_code: str, content: str, caller_name: str = "",
                          caller_phone: str = "", address: str = "") -> Request:
    """A request from the public form (no login): filed at the root of the tree (the centre),
    under the service named by `service_code`."""
    service = selectors.service_list().filter(code=service_code).first()
    intake = org_root()
    if service is None or intake is None:
        raise Invalid(_("请选择诉求类别。"), field="service")
    return request_create(intake_org=intake, channel=Channel.FORM, kind=kind, content=content, service=service,
                          caller_name=caller_name, caller_phone=caller_phone, address=address)


# -- handling --------------------------------------------------------------------


def request_answer(*, req: Request, scope: Scope, actor, note: str, now: datetime | None = None) -> Request:
    """The centre answers a consultation on the phone: no dispatch."""
    now = now or timezone.now()
    with transaction.atomic():
        req = _locked(req)
        _require_centre(scope, req)
        req.state = _step(req, Action.ANSWER)
        req.reply, req.replied_at = note, now
        req.save(update_fields=["state", "reply", "replied_at"])
        _record(req, Action.ANSWER, actor=actor, at=now, note=note)
    return req


def request_dispatch(*, req: Request, scope: Scope, actor, org: Org, co_orgs: Iterable[Org] = (), note: str = "",
                     now: datetime | None = None) -> Request:
    """Send to a 主办 org (and 协办 orgs); the time limit starts now."""
    now = now or timezone.now()
    co_orgs = [o for o in co_orgs if o.pk != org.pk]
    with transaction.atomic():
        req = _locked(req)
        _require_centre(scope, req)
        if not all(scope.reaches(o) for o in (org, *co_orgs)):
            raise Invalid(_("承办单位不在本中心的派单范围内。"), field="org")
        req.state = _step(req, Action.DISPATCH)
        req.org, req.assignee, req.signed_at = org, None, None
        req.dispatched_at = now
        req.sign_due_at = now + timedelta(hours=req.service.sign_hours)
        req.due_at = now + timedelta(hours=req.service.limit_hours)
        req.save(update_fields=["state", "org", "assignee", "signed_at", "dispatched_at", "sign_due_at", "due_at"])
        CoOrg.objects.filter(request=req).delete()
        CoOrg.objects.bulk_create(CoOrg(request=req, org=o) for o in co_orgs)
        _record(req, Action.DISPATCH, actor=actor, at=now, note=note, org=org)
    return req


def request_return(*, req: Request, scope: Scope, actor, reason: str, now: datetime | None = None) -> Request:
    """退单: the handling org sends the request back to the centre with a reason (capped)."""
    now = now or timezone.now()
    if not reason.strip():
        raise Invalid(_("退单须说明理由。"), field="reason")
    with transaction.atomic():
        req = _locked(req)
        _require_handler(scope, req)
        state = _step(req, Action.RETURN)
        if req.return_count >= max_returns():
            raise Conflict(_("该工单已退单 %(n)d 次,不能再退,请协调办理。") % {"n": req.return_count})
        org = req.org
        req.state, req.return_count = state, req.return_count + 1
        req.org = req.assignee = req.dispatched_at = req.sign_due_at = req.due_at = req.signed_at = None
        req.save(update_fields=["state", "return_count", "org", "assignee", "dispatched_at", "sign_due_at", "due_at",
                                "signed_at"])
        CoOrg.objects.filter(request=req).delete()
        _record(req, Action.RETURN, actor=actor, at=now, note=reason, org=org)
    return req


def request_sign(*, req: Request, scope: Scope, actor, now: datetime | None = None) -> Request:
    """签收: the signer becomes the assigned staff (the one who sees the caller's details)."""
    now = now or timezone.now()
    with transaction.atomic():
        req = _locked(req)
        _require_handler(scope, req)
        req.state = _step(req, Action.SIGN)
        req.signed_at, req.assignee = now, actor
        req.save(update_fields=["state", "signed_at", "assignee"])
        _record(req, Action.SIGN, actor=actor, at=now, org=req.org)
    return req


def request_start(*, req: Request, scope: Scope, actor, note: str = "", now: datetime | None = None) -> Request:
    now = now or timezone.now()
    with transaction.atomic():
        req = _locked(req)
        _require_handler(scope, req)
        req.state = _step(req, Action.START)
        req.save(update_fields=["state"])
        _record(req, Action.START, actor=actor, at=now, note=note, org=req.org)
    return req


def request_reply(*, req: Request, scope: Scope, actor, reply: str, now: datetime | None = None) -> Request:
    now = now or timezone.now()
    if not reply.strip():
        raise Invalid(_("请填写答复内容。"), field="reply")
    with transaction.atomic():
        req = _locked(req)
        _require_handler(scope, req)
        req.state = _step(req, Action.REPLY)
        req.reply, req.replied_at = reply.strip(), now
        req.save(update_fields=["state", "reply", "replied_at"])
        _record(req, Action.REPLY, actor=actor, at=now, note=reply.strip(), org=req.org)
    return req


def request_callback(*, req: Request, scope: Scope, actor, resolution: str, satisfaction: str, note: str = "",
                     now: datetime | None = None) -> Callback:
    now = now or timezone.now()
    if resolution not in Resolution.values:
        raise Invalid(_("解决情况无效。"), field="resolution")
    if satisfaction not in Satisfaction.values:
        raise Invalid(_("满意度无效。"), field="satisfaction")
    with transaction.atomic():
        req = _locked(req)
        _require_centre(scope, req)
        req.state = _step(req, Action.CALLBACK)
        req.resolution, req.satisfaction = resolution, satisfaction
        req.save(update_fields=["state", "resolution", "satisfaction"])
        callback = Callback.objects.create(request=req, resolution=resolution, satisfaction=satisfaction, note=note,
                                           at=now, actor=actor if getattr(actor, "pk", None) else None)
        label = f"{Resolution(resolution).label} · {Satisfaction(satisfaction).label}"
        _record(req, Action.CALLBACK, actor=actor, at=now, note=f"{label} {note}".strip(), org=req.org)
    return callback


def request_close(*, req: Request, scope: Scope, actor, now: datetime | None = None) -> Request:
    now = now or timezone.now()
    with transaction.atomic():
        req = _locked(req)
        _require_centre(scope, req)
        req.state = _step(req, Action.CLOSE)
        req.closed_at = now
        req.save(update_fields=["state", "closed_at"])
        _record(req, Action.CLOSE, actor=actor, at=now, org=req.org)
    return req


def request_reopen(*, req: Request, scope: Scope, actor, reason: str, now: datetime | None = None) -> Request:
    """重办: back to the same org with a fresh time limit."""
    now = now or timezone.now()
    if not reason.strip():
        raise Invalid(_("重办须说明理由。"), field="reason")
    with transaction.atomic():
        req = _locked(req)
        _require_centre(scope, req)
        req.state = _step(req, Action.REOPEN)
        req.reopen_count += 1
        req.closed_at = req.replied_at = None
        if req.org_id:
            req.due_at = now + timedelta(hours=req.service.limit_hours)
        req.save(update_fields=["state", "reopen_count", "closed_at", "replied_at", "due_at"])
        _record(req, Action.REOPEN, actor=actor, at=now, note=reason, org=req.org)
    return req


def extension_ask(*, req: Request, scope: Scope, actor, hours: int, reason: str,
                  now: datetime | None = None) -> Extension:
    now = now or timezone.now()
    if hours <= 0:
        raise Invalid(_("延期时长应大于 0。"), field="hours")
    if not reason.strip():
        raise Invalid(_("请说明延期理由。"), field="reason")
    with transaction.atomic():
        req = _locked(req)
        _require_handler(scope, req)
        if req.state not in HANDLING_STATES:
            raise Conflict(_("工单当前状态不能申请延期。"))
        if req.extensions.filter(decision=Extension.Decision.PENDING).exists():
            raise Conflict(_("已有待审批的延期申请。"))
        ext = Extension.objects.create(request=req, hours=hours, reason=reason.strip(), asked_at=now,
                                       asked_by=actor if getattr(actor, "pk", None) else None)
        _record(req, Action.EXTEND_ASK, actor=actor, at=now, note=_("申请延期 %(h)d 小时:%(r)s") % {"h": hours, "r": reason},
                org=req.org)
    return ext


def extension_decide(*, ext: Extension, scope: Scope, actor, approve: bool, now: datetime | None = None) -> Extension:
    now = now or timezone.now()
    with transaction.atomic():
        req = _locked(ext.request)
        _require_centre(scope, req)
        # Compare-and-set: two approvers at once cannot both extend the limit.
        decision = Extension.Decision.APPROVED if approve else Extension.Decision.REJECTED
        changed = Extension.objects.filter(pk=ext.pk, decision=Extension.Decision.PENDING).update(
            decision=decision, decided_at=now, decided_by=actor if getattr(actor, "pk", None) else None)
        if not changed:
            raise Conflict(_("该延期申请已审批。"))
        ext.refresh_from_db()
        if approve and req.due_at is not None:
            req.due_at += timedelta(hours=ext.hours)
            req.save(update_fields=["due_at"])
        _record(req, Action.EXTEND_DECIDE, actor=actor, at=now, note=ext.get_decision_display(), org=req.org)
    return ext


def request_escalate(*, req: Request, scope: Scope, actor, note: str = "", now: datetime | None = None) -> Request:
    """督办 one request."""
    now = now or timezone.now()
    with transaction.atomic():
        req = _locked(req)
        _require_centre(scope, req)
        if req.state not in HANDLING_STATES:
            raise Conflict(_("只有办理中的工单可以督办。"))
        req.escalated_at = now
        req.save(update_fields=["escalated_at"])
        _record(req, Action.ESCALATE, actor=actor, at=now, note=note or _("超期督办"), org=req.org)
    return req


def requests_escalate_overdue(*, scope: Scope, actor, now: datetime | None = None) -> int:
    """督办 every overdue request in reach not yet escalated; returns how many."""
    now = now or timezone.now()
    count = 0
    for req in selectors.request_overdue(scope=scope, now=now).filter(escalated_at__isnull=True):
        try:
            request_escalate(req=req, scope=scope, actor=actor, now=now)
        except (Conflict, Refused):
            continue  # handled meanwhile, or only visible as a handler
        count += 1
    return count
