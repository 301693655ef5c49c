"""/api/v1/reports/: the same figures as the dashboard, the tables and the briefings."""

from datetime import date, datetime
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from dangshi.core.replica import reads_from_replica
from dangshi.reports import periods, selectors, services

router = Router(tags=["reports"])


def _org(request, code: str | None):
    scope = request.scope
    scope.require_admin()
    org = scope.org_or_404(code) if code else scope.home_org
    if org is None:
        raise Http404(_("未找到该组织。"))
    return org


def _period(key: str | None, kind: str = "week"):
    return periods.parse(key) if key else periods.period_of(kind, timezone.localdate())


class TableOut(Schema):
    org: str
    period: str
    headers: list[str]
    rows: list[list[Any]]


class BriefingOut(Schema):
    id: int
    org: str
    kind: str
    period: str
    number: int
    start: date
    end: date
    figures: dict
    created_at: datetime
    url: str


class BriefingIn(Schema):
    org: str | None = None
    period: str  # "2021-W23" (weekly briefing) or "2021-06" (monthly summary)


def _briefing_out(b) -> dict:
    return {"id": b.pk, "org": b.org.code, "kind": b.kind, "period": b.period, "number": b.number, "start": b.start,
            "end": b.end, "figures": b.figures, "created_at": b.created_at,
            "url": reverse("reports:briefing_download", args=[b.pk])}


@router.get("dashboard", summary="驾驶舱数据:头条数字、周趋势、下级排名")
def reports_dashboard(request, org: str | None = None, period: str | None = None):
    target = _org(request, org)
    with reads_from_replica():
        return selectors.dashboard(org=target, period=_period(period))


@router.get("table", response=TableOut, summary="统计表(与页面和 .xlsx 导出相同)")
def reports_table(request, org: str | None = None, period: str | None = None):
    target, p = _org(request, org), _period(period)
    with reads_from_replica():
        headers, rows = selectors.table(org=target, period=p)
    return {"org": target.code, "period": p.key, "headers": headers, "rows": rows}


@router.get("briefings/", response=list[BriefingOut], summary="简报与月度小结(期号序列)")
def reports_briefings(request, org: str | None = None):
    scope = request.scope
    scope.require_admin()
    target = scope.org_or_404(org) if org else None
    return [_briefing_out(b) for b in selectors.briefing_list(scope=scope, org=target)[:200]]


@router.post("briefings/", response={201: BriefingOut}, summary="生成(或重新生成)一期简报")
def reports_briefing_create(request, payload: BriefingIn):
    target = _org(request, payload.org)
    briefing = services.briefing_generate(org=target, period=periods.parse(payload.period), actor=request.user)
    return 201, _briefing_out(briefing)
