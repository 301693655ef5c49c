"""Writes: the life of a request, one service per step of the state machine.

received → answered | dispatched (主办 + 协办) → signed → in_progress → replied → callback
→ closed, or reopened; a dispatched request may be returned (退单, capped) to the centre,
which dispatches it again. Every step locks the request row (two operators acting on one
request at once: the second sees the state the first left) and writes one Update row.
"""

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core.crypto import blank_personal_numbers, digest
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.hotline.models import (
    HANDLING_STATES,
    Action,
    Callback,
    Channel,
    CoOrg,
    Extension,
    Kind,
    Open311Key,
    Request,
    Resolution,
    Satisfaction,
    ServiceType,
    State,
    Update,
)
from dangshi.orgs.models import Org
from dangshi.orgs.scope import Scope
from dangshi.practical.models import Matter
from dangshi.practical.services import matter_draft_from_source, matter_source_linked

# action → states it may start from, state it leads to
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    Action.ANSWER: ((State.RECEIVED, State.RETURNED), State.ANSWERED),
    Action.DISPATCH: ((State.RECEIVED, State.RETURNED, State.REOPENED), State.DISPATCHED),
    Action.RETURN: ((State.DISPATCHED, State.SIGNED), State.RETURNED),
    Action.SIGN: ((State.DISPATCHED,), State.SIGNED),
    Action.START: ((State.SIGNED, State.REOPENED), State.IN_PROGRESS),
    Action.REPLY: ((State.SIGNED, State.IN_PROGRESS, State.REOPENED), State.REPLIED),
    Action.CALLBACK: ((State.REPLIED, State.ANSWERED), State.CALLBACK),
    Action.CLOSE: ((State.CALLBACK,), State.CLOSED),
    Action.REOPEN: ((State.CALLBACK, State.CLOSED), State.REOPENED),
}


# The default services and time limits (also seeded by migration 0002): code, name, group,
# limit hours, sign hours, keywords found in 问题分类.
DEFAULT_SERVICES = [
    ("emergency", "紧急诉求", "紧急", 2, 1, "紧急 突发 险情 安全隐患"),
    ("water", "供水", "水电气暖", 24, 4, "供水 停水 水压 自来水"),
    ("power", "供电", "水电气暖", 24, 4, "供电 停电 电力"),
    ("gas", "燃气", "水电气暖", 24, 4, "燃气 天然气 煤气"),
    ("heat", "供暖", "水电气暖", 24, 4, "供暖 供热 暖气"),
    ("general", "一般诉求", "一般", 7 * 24, 24, ""),
    ("complex", "复杂诉求", "复杂", 15 * 24, 24, "拆迁 征收 土地 历史遗留 劳资纠纷"),
]


def service_defaults_ensure() -> None:
    """Create any missing default service (after a flush, say); configured ones are left alone."""
    for position, (code, name, group, limit, sign, words) in enumerate(DEFAULT_SERVICES):
        ServiceType.objects.get_or_create(code=code, defaults={
            "name": name, "group": group, "limit_hours": limit, "sign_hours": sign, "keywords": words,
            "position": position, "description": f"{name},办理时限 {limit} 小时",
        })


def max_returns() -> int:
    return settings.HOTLINE_MAX_RETURNS


# -- guards ----------------------------------------------------------------------


def is_centre(scope: Scope, req: Request) -> bool:
    """The hotline centre: an office user whose reach includes the request's intake org."""
    return scope.is_office and scope.reaches(req.intake_org)


def is_handler(scope: Scope, req: Request) -> bool:
    """Staff of the handling (主办) org."""
    return scope.is_admin and req.org_id is not None and scope.reaches(req.org)


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


# -- intake ----------------------------------------------------------------------


def service_for(categories: Iterable[str], services: list[ServiceType] | None = None) -> ServiceType:
    """The service whose keywords appear in the 问题分类 levels; 'general' otherwise."""
    services = services if services is not None else list(ServiceType.objects.filter(active=True))
    joined = " ".join(c for c in categories if c)
    for service in services:
        if any(word and word in joined for word in service.keywords.split()):
            return service
    return next((s for s in services if s.code == "general"), services[0])


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
    from dangshi.hotline.selectors import request_overdue

    now = now or timezone.now()
    count = 0
    for req in request_overdue(scope=scope, now=now).filter(escalated_at__isnull=True):
        try:
            request_escalate(req=req, scope=scope, actor=actor, now=now)
        except (Conflict, Refused):
            continue  # handled meanwhile, or only visible as a handler
        count += 1
    return count


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
        matter = matter_draft_from_source(org=org, title=blank_personal_numbers(title.strip()), description=text,
                                          source_ref=source, actor=actor)
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
        matter_source_linked(matter=matter, actor=actor, source="12345", count=len(moving))
        _link(moving, matter, actor=actor, now=now)
    return matter


def open311_key_create(*, name: str, intake_org: Org, actor=None) -> tuple[Open311Key, str]:
    """A new Open311 api_key: returns the key row and the clear key (shown once, never stored)."""
    clear = secrets.token_urlsafe(24)
    key = Open311Key.objects.create(name=name, digest=digest(clear), intake_org=intake_org)
    log_event("hotline.open311key.created", actor=actor, obj=key, org=intake_org, data={"name": name})
    return key, clear
