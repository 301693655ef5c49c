from datetime import date, datetime
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate

from dangshi.core.apiutil import Paged
from dangshi.errors import Invalid
from dangshi.learning import selectors
from dangshi.learning.models import OfflineActivity
from dangshi.learning.selectors import fiveones
from dangshi.learning.services import reading
from dangshi.orgs.selectors import campaign_for

router = Router(tags=["learning"])


class ItemBrief(Schema):
    id: int
    column: str = Field(alias="column.code")
    column_name: str = Field(alias="column.name")
    title: str
    publish_at: datetime | None
    month: int | None
    day: int | None
    event_year: int | None


class ItemOut(ItemBrief):
    body: str
    answer: str
    source: str
    media_url: str
    duration_seconds: int | None
    number: int | None
    tags: list[str]

    @staticmethod
    def resolve_tags(obj):
        return [t.name for t in obj.tags.all()]


class TodayOut(Schema):
    date: date
    on_this_day: list[ItemBrief]
    latest: list[ItemBrief]
    pushed: list[ItemBrief]
    done: list[int]


class ItemFilter(Schema):
    column: str | None = None
    q: str = ""


class ReadIn(Schema):
    action: Literal["start", "finish"]
    watched_seconds: int | None = Field(None, ge=0)


class ReadOut(Schema):
    id: int
    opened_at: datetime
    finished_at: datetime | None
    seconds: int
    counted: bool


class FiveOnesRow(Schema):
    code: str
    name: str
    assessed: int
    compliant: int
    rate: float | None


class OfflineIn(Schema):
    kind: str = Field(description="book, film, song, video 或 experience")
    title: str
    # A string, parsed by the endpoint: a bad date then gets the Chinese error naming `day`.
    day: str = Field(description="YYYY-MM-DD")


class OfflineOut(Schema):
    id: int
    kind: str
    kind_name: str
    title: str
    day: date
    status: str
    status_name: str
    photo: bool
    created_at: datetime

    @staticmethod
    def resolve_kind_name(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_name(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_photo(obj):
        return bool(obj.evidence)


class OfflinePendingOut(OfflineOut):
    member_id: int
    member_name: str = Field(alias="member.name")
    org_name: str = Field(alias="member.org.name")


class PointsOut(Schema):
    total: int | None = None
    ledger: list[dict] = []
    ranking: list[dict] = []


def _member(request):
    member = selectors.scope_member(request.scope)
    if member is None:
        raise Http404(_("仅党员可使用此功能。"))
    return member


@router.get("today", response=TodayOut, summary="我今天的学习内容")
def learning_today(request):
    feed = selectors.feed_today(member=_member(request))
    return {"date": feed["today"], "on_this_day": feed["on_this_day"], "latest": feed["latest"],
            "pushed": feed["pushed"], "done": sorted(feed["done"])}


@router.get("items", response=list[ItemBrief], summary="已发布的学习内容(可按栏目筛选、全文搜索)")
@paginate(Paged)
def learning_items(request, filters: Query[ItemFilter]):
    column = selectors.column_or_404(filters.column) if filters.column else None
    return selectors.item_list(scope=request.scope, column=column, q=filters.q)


@router.get("items/{item_id}", response=ItemOut, summary="一条学习内容")
def learning_item(request, item_id: int):
    return selectors.item_or_404(scope=request.scope, item_id=item_id)


@router.post("items/{item_id}/read", response=ReadOut, summary="记录阅读:开始(start)或读完(finish)")
def learning_item_read(request, item_id: int, payload: ReadIn):
    item = selectors.item_or_404(scope=request.scope, item_id=item_id)
    member = _member(request)
    if payload.action == "start":
        return reading.read_start(member=member, item=item)
    return reading.read_finish(member=member, item=item, watched_seconds=payload.watched_seconds)


@router.get("five-ones", response=list[FiveOnesRow], summary="五个一达标率(本组织及下级)")
def learning_five_ones(request, org: str | None = None, period: str = "month"):
    scope = request.scope
    scope.require_admin()
    target = scope.org_or_404(org) if org else scope.home_org
    p = fiveones.period_parse(period, campaign=campaign_for(org=target))
    rows = fiveones.org_rates(scope=scope, org=target, period=p)
    return [{"code": r["org"].code, "name": r["org"].name, "assessed": r["assessed"], "compliant": r["compliant"],
             "rate": r["rate"]} for r in rows]


@router.get("points", response=PointsOut, summary="学习积分:党员看本人明细,管理员看组织排名")
def learning_points(request, org: str | None = None):
    scope = request.scope
    if org or not scope.is_member:
        scope.require_admin()
        target = scope.org_or_404(org) if org else scope.home_org
        return {"ranking": selectors.points_ranking(scope=scope, org=target)}
    member = _member(request)
    ledger = [{"rule": e.rule.name, "points": e.points, "day": e.day.isoformat(), "cause": f"{e.cause_type}:{e.cause_id}"}
              for e in selectors.points_ledger(member=member)]
    return {"total": selectors.points_total(member=member), "ledger": ledger}


# -- offline activities (线下学习): self-reported by members, confirmed by their branch ------

@router.get("offline", response=list[OfflineOut], summary="我上报的线下学习")
@paginate(Paged)
def learning_offline_mine(request):
    return selectors.offline_mine(member=_member(request))


@router.post("offline", response={201: OfflineOut}, summary="上报线下学习(multipart,照片可选)")
def learning_offline_report(request, payload: Form[OfflineIn], photo: File[UploadedFile] = None):
    try:
        day = date.fromisoformat(payload.day.strip())
    except ValueError:
        raise Invalid(_("日期格式不正确,应为 YYYY-MM-DD。"), field="day") from None
    activity = reading.offline_report(member=_member(request), kind=payload.kind, title=payload.title,
                                      day=day, evidence=photo)
    return 201, activity


@router.get("offline/pending", response=list[OfflinePendingOut], summary="待确认的线下学习(本组织及下级)")
@paginate(Paged)
def learning_offline_pending(request):
    return selectors.offline_pending(scope=request.scope)


def _offline_decide(request, offline_id: int, approve: bool) -> OfflineActivity:
    activity = selectors.offline_or_404(scope=request.scope, offline_id=offline_id)
    return reading.offline_review(scope=request.scope, actor=request.user, activity=activity, approve=approve)


@router.post("offline/{offline_id}/confirm", response=OfflinePendingOut, summary="支部确认线下学习(计入五个一)")
def learning_offline_confirm(request, offline_id: int):
    return _offline_decide(request, offline_id, approve=True)


@router.post("offline/{offline_id}/reject", response=OfflinePendingOut, summary="支部不予确认线下学习")
def learning_offline_reject(request, offline_id: int):
    return _offline_decide(request, offline_id, approve=False)
