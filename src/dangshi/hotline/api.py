"""/api/v1/hotline/: the queue, one request with its updates, actions, KPIs. Callers' details masked
except for the assigned staff."""

from datetime import date, datetime
from typing import Annotated

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangshi.core.apiutil import Paged
from dangshi.hotline import actions, selectors

router = Router(tags=["hotline"])


class RequestOut(Schema):
    id: int
    number: str
    channel: str
    received_at: datetime
    kind: str
    state: str
    service: str
    category: str
    content: str
    address: str
    org: str | None
    dispatched_at: datetime | None
    due_at: datetime | None
    overdue: bool
    caller_name: str
    caller_phone: str
    return_count: int
    reopen_count: int
    resolution: str
    satisfaction: str
    matter_id: int | None


class UpdateOut(Schema):
    action: str
    state: str
    org: str | None
    note: str
    actor: str
    at: datetime


class RequestDetailOut(RequestOut):
    updates: list[UpdateOut]


class QueueFilter(Schema):
    state: str = ""
    q: str = ""
    overdue: bool = False


class ActionIn(Schema):
    action: str
    note: str = ""
    org: str = ""
    co_orgs: list[str] = []
    resolution: str = ""
    satisfaction: str = ""
    hours: int | None = None
    approve: bool = False


class MatterIn(Schema):
    matter_id: int | None = Field(None, ge=1, le=2**31 - 1, description="关联到这件已有实事;不填则转为新实事(草稿)")
    title: str = Field("", description="新实事的名称")
    description: str = Field("", description="新实事的内容(不要写诉求人姓名、电话)")
    org: str = Field("", description="新实事的责任单位编码;默认为主办单位")
    requests: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field([], max_length=200,
                                                                     description="一并处理的同一问题分类的其他工单 id")


class MatterLinkOut(Schema):
    matter_id: int
    title: str
    state: str
    created: bool
    requests: list[str]


class KpiOut(Schema):
    org_id: int
    org_name: str
    month: date
    handled: int
    dispatched: int
    callbacks: int
    response_rate: float | None
    on_time_rate: float | None
    resolve_rate: float | None
    satisfaction_rate: float | None
    reopen_rate: float | None
    return_rate: float | None
    score: float


def _out(req, user, now, scope) -> dict:
    caller = selectors.caller_shown(req, user)
    return {
        "id": req.pk, "number": req.number, "channel": req.channel, "received_at": req.received_at, "kind": req.kind,
        "state": req.state, "service": req.service.code,
        "category": "/".join(c for c in (req.category_1, req.category_2, req.category_3) if c),
        "content": selectors.content_shown(req, scope, user), "address": req.address, "org": req.org.code if req.org_id else None,
        "dispatched_at": req.dispatched_at, "due_at": req.due_at, "overdue": req.is_overdue(now),
        "caller_name": caller["name"], "caller_phone": caller["phone"], "return_count": req.return_count,
        "reopen_count": req.reopen_count, "resolution": req.resolution, "satisfaction": req.satisfaction,
        "matter_id": req.matter_id,
    }


def _get(request, request_id: int):
    req = selectors.request_or_none(scope=request.scope, request_id=request_id)
    if req is None or not request.scope.is_admin:
        raise Http404(_("未找到该工单。"))
    return req


@router.get("requests/", response=list[RequestOut], summary="诉求工单(来电人信息脱敏)")
@paginate(Paged)
def hotline_requests_list(request, filters: Query[QueueFilter]):
    now = timezone.now()
    qs = selectors.request_queue(scope=request.scope, state=filters.state, q=filters.q, overdue=filters.overdue, now=now)
    return [_out(r, request.auth, now, request.scope) for r in qs[:5000]] if request.scope.is_admin else []


@router.get("requests/{request_id}", response=RequestDetailOut, summary="一件工单及其办理记录")
def hotline_request_detail(request, request_id: int):
    req = _get(request, request_id)
    body = _out(req, request.auth, timezone.now(), request.scope)
    body["updates"] = [
        {"action": u.action, "state": u.state, "org": u.org.code if u.org_id else None, "note": u.note,
         "actor": u.actor_label, "at": u.at}
        for u in selectors.request_updates(req=req)
    ]
    return body


@router.post("requests/{request_id}/actions", response=RequestOut, summary="办理工单:派单、签收、退单、答复、回访……")
def hotline_request_act(request, request_id: int, payload: ActionIn):
    req = _get(request, request_id)
    data = payload.dict()
    if payload.hours is None:
        data.pop("hours")
    data["approve"] = "1" if payload.approve else "0"
    actions.perform(scope=request.scope, actor=request.auth, req=req, data=data)
    return _out(selectors.request_or_none(scope=request.scope, request_id=req.pk), request.auth, timezone.now(), request.scope)


@router.post("requests/{request_id}/matter", response={200: MatterLinkOut, 201: MatterLinkOut},
             summary="转为实事(新建草稿,201)或关联已有实事(200),可一并处理同类工单")
def hotline_request_matter(request, request_id: int, payload: MatterIn):
    req = _get(request, request_id)
    data = {"matter": payload.matter_id, "title": payload.title, "description": payload.description,
            "org": payload.org, "requests": payload.requests}
    matter, created = actions.matter_perform(scope=request.scope, actor=request.auth, req=req, data=data)
    return (201 if created else 200), {"matter_id": matter.pk, "title": matter.title, "state": matter.state,
                                      "created": created,
                                      "requests": selectors.matter_request_numbers(scope=request.scope, matter=matter)}


@router.get("kpis", response=list[KpiOut], summary="各承办单位月度考核指标与排名")
def hotline_kpis(request, month: str = ""):
    scope = request.scope
    scope.require_office()
    try:
        first = date.fromisoformat(month + "-01") if month else timezone.localdate().replace(day=1)
    except ValueError:
        first = timezone.localdate().replace(day=1)
    root = scope.home_org
    return selectors.monthly_ranking(root_path=root.path, month=first) if root else []
