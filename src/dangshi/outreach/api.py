import json
import re
from datetime import date, datetime, timedelta

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangshi.core.apiutil import Paged
from dangshi.errors import Invalid
from dangshi.orgs.selectors import campaign_for
from dangshi.outreach import coverage, selectors, services

router = Router(tags=["outreach"])


class OrgRef(Schema):
    code: str
    name: str


class LecturerRef(Schema):
    id: int
    name: str


class SessionOut(Schema):
    id: int
    org: OrgRef
    starts_at: datetime
    venue_kind: str = Field(alias="venue_kind.name")
    place: str
    topic: str
    audience_offline: int
    audience_online: int
    online_platform: str


class SessionDetail(SessionOut):
    lecturers: list[LecturerRef]
    covered_orgs: list[OrgRef]
    photos: int

    @staticmethod
    def resolve_lecturers(obj):
        return list(obj.lecturers.all())

    @staticmethod
    def resolve_covered_orgs(obj):
        return [c.org for c in obj.covered.all()]

    @staticmethod
    def resolve_photos(obj):
        return len(obj.files.all())


class SessionFilter(Schema):
    org: str | None = None
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$")


class SessionIn(Schema):
    org: str = Field(description="主办组织编码")
    starts_at: datetime
    venue_kind: str = Field(description="宣讲阵地编码,如 community、village")
    place: str
    topic: str
    lecturers: list[int] = []
    covered_orgs: list[str] = Field([], description="覆盖组织编码;空则为主办组织")
    audience_offline: int = Field(0, ge=0)
    audience_online: int = Field(0, ge=0)
    online_platform: str = ""


class LecturerOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    title: str
    specialty: str
    org: OrgRef
    group: str | None = Field(None, alias="group.name")
    letter_no: str | None
    appointed_on: date | None
    active: bool
    sessions: int = Field(alias="session_count")


class LecturerFilter(Schema):
    q: str = ""
    active: bool | None = None


class SignInIn(Schema):
    token: str = Field(description="现场二维码中的签到码")


class SignInOut(Schema):
    activity: int
    member: int
    signed_at: datetime
    created: bool


def _month(value: str | None) -> date:
    if not value:
        return timezone.localdate().replace(day=1)
    if not re.fullmatch(r"\d{4}-\d{2}", value):
        raise Invalid(_("月份格式应为 YYYY-MM。"), field="month")
    year, month = map(int, value.split("-"))
    if not 1 <= month <= 12:
        raise Invalid(_("月份格式应为 YYYY-MM。"), field="month")
    return date(year, month, 1)


@router.get("sessions", response=list[SessionOut], summary="宣讲记录(范围内)")
@paginate(Paged)
def outreach_sessions_list(request, filters: Query[SessionFilter]):
    scope = request.scope
    org = scope.org_or_404(filters.org) if filters.org else None
    month = _month(filters.month) if filters.month else None
    return selectors.session_list(scope=scope, org=org, month=month)


@router.post("sessions", response={201: SessionDetail}, summary="登记一场宣讲")
def outreach_session_create(request, payload: SessionIn):
    scope = request.scope
    orgs = {o.code: o for o in selectors.loggable_orgs(scope=scope).filter(code__in=[payload.org, *payload.covered_orgs])}
    if payload.org not in orgs:
        raise Http404(_("未找到该组织。"))
    missing = [c for c in payload.covered_orgs if c not in orgs]
    if missing:
        raise Invalid(_("覆盖组织不存在或不在范围内:%(c)s") % {"c": "、".join(missing)}, field="covered_orgs")
    venue = selectors.venue_kind_active(code=payload.venue_kind)
    if venue is None:
        raise Invalid(_("宣讲阵地不正确。"), field="venue_kind")
    lecturers = list(selectors.lecturer_choices(org=orgs[payload.org]).filter(pk__in=payload.lecturers))
    if len(lecturers) != len(set(payload.lecturers)):
        raise Invalid(_("宣讲员不存在或不可选。"), field="lecturers")
    session = services.session_create(
        scope=scope, actor=request.user, org=orgs[payload.org], starts_at=payload.starts_at, venue_kind=venue,
        place=payload.place, topic=payload.topic, lecturers=lecturers,
        covered_orgs=[orgs[c] for c in payload.covered_orgs], audience_offline=payload.audience_offline,
        audience_online=payload.audience_online, online_platform=payload.online_platform, campaign=campaign_for(org=orgs[payload.org]),
    )
    return 201, selectors.session_or_404(scope=scope, session_id=session.pk)


@router.get("sessions/{session_id}", response=SessionDetail, summary="一场宣讲")
def outreach_session_get(request, session_id: int):
    return selectors.session_or_404(scope=request.scope, session_id=session_id)


class CoverageTotals(Schema):
    sessions: int
    audience_offline: int
    audience_online: int


class CoverageOut(Schema):
    org: OrgRef
    target: int = Field(description="每月每个基层党组织应接受的宣讲场次")
    months: list[str] = Field(description="YYYY-MM,由早到晚")
    totals: CoverageTotals
    covered: list[int] = Field(description="每月达标的组织数")
    rates: list[float] = Field(description="每月覆盖率(0–1)")
    columns: list[str] = Field(description="orgs 中每行的含义:[\"code\", \"name\", \"counts\"]")
    orgs: list[tuple[str, str, list[int]]] = Field(description="每行 [组织编码, 组织名称, [各月接受宣讲场次]],按组织树顺序")


@router.get("coverage", response=CoverageOut, summary="宣讲覆盖矩阵:基层党组织 × 月份")
def outreach_coverage(request, org: str | None = None, month: str | None = None,
                      months: int = Query(12, ge=1, le=24)):
    """Sessions received per grass-roots org under `org` for the `months` months ending in
    `month` (YYYY-MM, default this month); a count below `target` is a gap. The whole
    matrix in one response, each org one array row (100,000 orgs × 12 months ≈ 10 MiB).
    The body is written here rather than by the schema: the rows arrive as JSON text
    (coverage.matrix_rows), and validating 100,000 rows would cost more than making them."""
    scope = request.scope
    scope.require_admin()
    root = scope.org_or_404(org) if org else scope.home_org
    window = coverage.months_ending(_month(month), months)
    target = coverage.target_for(campaign_for(org=scope.home_org))
    matrix = coverage.matrix_rows(root=root, months=window, target=target)
    end = coverage.month_add(window[-1], 1) - timedelta(days=1)
    totals = coverage.session_totals(root=root, start=window[0], end=end, count_covered=False)
    head = {
        "org": {"code": root.code, "name": root.name},
        "target": target,
        "months": [f"{m:%Y-%m}" for m in window],
        "totals": {"sessions": totals.sessions, "audience_offline": totals.audience_offline,
                   "audience_online": totals.audience_online},
        "covered": matrix.covered,
        "rates": matrix.rates,
        "columns": ["code", "name", "counts"],
    }
    body = json.dumps(head, ensure_ascii=False)[:-1] + ',"orgs":[' + matrix.rows_json + "]}"
    return HttpResponse(body.encode(), content_type="application/json; charset=utf-8")


@router.get("lecturers", response=list[LecturerOut], summary="宣讲员名录")
@paginate(Paged)
def outreach_lecturers_list(request, filters: Query[LecturerFilter]):
    scope = request.scope
    scope.require_admin()
    return selectors.lecturer_list(scope=scope, q=filters.q, active=filters.active)


@router.post("activities/{activity_id}/sign-in", response={200: SignInOut, 201: SignInOut}, summary="扫码签到(党员本人)")
def outreach_activity_sign_in(request, activity_id: int, payload: SignInIn):
    scope = request.scope
    if not scope.is_member:
        raise Http404(_("未找到该活动。"))
    member, activity = selectors.member_activity_or_404(scope=scope, activity_id=activity_id)
    attendance, created = services.attendance_sign(activity=activity, member=member, token=payload.token, actor=request.user)
    body = {"activity": activity.pk, "member": member.pk, "signed_at": attendance.signed_at, "created": created}
    return (201 if created else 200), body
