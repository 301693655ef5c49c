"""/api/v1/practical/: matters (list, detail), claiming and progress, scoped like the pages."""

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate

from dangshi.core.apiutil import Paged
from dangshi.errors import Refused
from dangshi.orgs.selectors import member_of
from dangshi.practical import selectors, services

router = Router(tags=["practical"])


class OrgRef(Schema):
    code: str
    name: str


class MatterOut(Schema):
    id: int
    title: str
    tier: str
    level: str
    field: str
    state: str
    state_label: str = Field(alias="get_state_display")
    org: OrgRef
    parent_id: int | None
    planned_start: date
    planned_end: date
    progress: int
    claimant_cap: int | None
    claim_count: int
    health: str


class MilestoneOut(Schema):
    title: str
    due_on: date
    done_on: date | None


class ClaimOut(Schema):
    id: int
    matter_id: int
    role: str


class MatterDetailOut(MatterOut):
    description: str
    location: str
    budget: float | None
    milestones: list[MilestoneOut] = Field(alias="milestone_rows")
    satisfaction: dict = Field(alias="satisfaction_figures")


class MatterFilter(Schema):
    tier: str = ""
    field: str = ""
    state: str = ""
    org: str | None = None
    q: str = ""


class ClaimIn(Schema):
    joint: bool = False


class MatterProgressOut(Schema):
    id: int
    percent: int
    note: str
    reported_on: date


@router.get("matters/", response=list[MatterOut], summary="范围内的实事")
@paginate(Paged)
def practical_matters_list(request, filters: Query[MatterFilter]):
    scope = request.scope
    org = scope.org_or_404(filters.org) if filters.org else None
    qs = selectors.matter_list(scope=scope, tier=filters.tier, field=filters.field, state=filters.state, org=org,
                               q=filters.q)
    return _Healthy(qs)


class _Healthy:
    """A queryset wrapper that adds the schedule health to each page's rows only."""

    def __init__(self, qs):
        self.qs = qs

    def count(self):
        return self.qs.count()

    def __getitem__(self, item):
        return selectors.with_health(self.qs[item])


@router.get("matters/{matter_id}", response=MatterDetailOut, summary="一件实事")
def practical_matter_get(request, matter_id: int):
    matter = selectors.matter_or_404(scope=request.scope, matter_id=matter_id)
    detail = selectors.matter_detail(matter=matter)
    m = detail["matter"]
    m.milestone_rows, m.satisfaction_figures = detail["milestones"], detail["satisfaction"]
    return m


@router.post("matters/{matter_id}/claim", response={201: ClaimOut}, summary="认领实事(本人)")
def practical_matter_claim(request, matter_id: int, payload: ClaimIn):
    scope = request.scope
    matter = selectors.matter_or_404(scope=scope, matter_id=matter_id)
    if not scope.is_member:
        raise Refused(_("只有党员可以认领实事。"))
    member = member_of(scope=scope)
    if member is None:
        raise Http404
    claim = services.matter_claim(matter=matter, member=member, actor=request.auth, joint=payload.joint)
    return 201, claim


@router.post("matters/{matter_id}/progress", response={201: MatterProgressOut}, summary="报告进展(可附佐证材料)")
def practical_matter_progress(request, matter_id: int, percent: Form[int], note: Form[str],
                              files: File[list[UploadedFile]] = None):
    matter = selectors.matter_or_404(scope=request.scope, matter_id=matter_id)
    report = services.progress_report(matter=matter, percent=percent, note=note, actor=request.auth, scope=request.scope,
                                      files=files or [])
    return 201, report
