from datetime import date, datetime
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangshi.core.apiutil import Paged
from dangshi.learning import fiveones, reading, selectors
from dangshi.orgs.selectors import campaign_current

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
    p = fiveones.period_parse(period, campaign=campaign_current())
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
