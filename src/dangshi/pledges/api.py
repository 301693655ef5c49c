"""/api/v1/pledges…: member commitments (五诺) and unit commitment lists."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangshi.core import ratelimit
from dangshi.core.apiutil import Paged
from dangshi.errors import Refused
from dangshi.pledges import selectors, services
from dangshi.pledges.machine import Action
from dangshi.pledges.models import Category, State

PREFIX = "/"
router = Router(tags=["pledges"])


class OrgRef(Schema):
    code: str
    name: str


class ItemIn(Schema):
    what: str = Field(..., max_length=200)
    due_on: date
    measure: str = Field(..., max_length=200)
    category: Category


class DraftIn(Schema):
    items: list[ItemIn]


class PledgeItemOut(Schema):
    id: int
    what: str
    due_on: date
    measure: str
    category: str
    done: bool


class PledgeProgressOut(Schema):
    id: int
    item_id: int | None
    note: str
    evidence: str
    on: date


class PledgeOut(Schema):
    id: int
    state: str
    state_label: str = Field(alias="get_state_display")
    member: str = Field(alias="member.name")
    org: OrgRef
    round: str = Field(alias="round.title")
    review_comment: str
    review_released: bool
    fulfilment_summary: str
    rating_closes_on: date | None
    grade: str
    grade_score: float | None
    items: list[PledgeItemOut]
    progress: list[PledgeProgressOut]

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())

    @staticmethod
    def resolve_progress(obj):
        return list(obj.progress.all())


class PledgeRow(Schema):
    id: int
    state: str
    state_label: str = Field(alias="get_state_display")
    member: str = Field(alias="member.name")
    org: OrgRef
    round: str = Field(alias="round.title")
    grade: str


class ReviewIn(Schema):
    decision: str = Field(..., pattern="^(approve|return|reject)$", description="approve | return | reject")
    comment: str = ""


class PledgeProgressIn(Schema):
    note: str
    evidence: str
    item_id: int | None = None
    done: bool = False


class RateIn(Schema):
    value: str = Field(..., description="优秀/良好/一般/差, or 1–5 (stars), per the round's scale")
    comment: str = Field("", max_length=300)


class TransitionIn(Schema):
    action: str = Field(..., pattern="^(submit_fulfilment|open_rating|close_rating|archive)$")
    summary: str = ""
    closes_on: date | None = None


class ListFilter(Schema):
    org: str | None = None
    state: State | None = None


class UnitFilter(Schema):
    org: str | None = None
    year: int | None = None


class UnitOut(Schema):
    id: int
    org: OrgRef
    year: int
    title: str
    target: str
    measure: str
    due_on: date
    state: str
    state_label: str = Field(alias="get_state_display")
    percent: int
    result: str
    evidence: str


def _pledge(request, pledge_id: int):
    return selectors.pledge_or_404(scope=request.scope, pledge_id=pledge_id)


def _act(request, pledge_id: int, action: str, **kw):
    pledge = _pledge(request, pledge_id)
    services.pledge_act(pledge=pledge, action=action, scope=request.scope, actor=request.user, **kw)
    return _pledge(request, pledge_id)


@router.get("pledges/mine", response=list[PledgeOut], summary="我的承诺")
def pledges_mine_list(request):
    return selectors.my_pledges(scope=request.scope)


@router.post("pledges/mine", response={200: PledgeOut}, summary="起草或修改本期承诺(2–5 项;草稿或被退回时可改)")
def pledges_mine_save(request, payload: DraftIn):
    scope = request.scope
    if not scope.is_member:
        raise Refused(_("只有党员可以作出承诺。"))
    member = scope.members().select_related("org").get(pk=scope.member_id)
    pledge = services.pledge_save_draft(member=member, items=[i.dict() for i in payload.items], actor=request.user)
    return _pledge(request, pledge.pk)


@router.get("pledges", response=list[PledgeRow], summary="范围内的党员承诺")
@paginate(Paged)
def pledges_list(request, filters: Query[ListFilter]):
    scope = request.scope
    org = scope.org_or_404(filters.org) if filters.org else None
    return selectors.pledge_list(scope=scope, org=org, state=filters.state or "")


@router.get("pledges/units", response=list[UnitOut], summary="单位承诺清单")
@paginate(Paged)
def pledges_units(request, filters: Query[UnitFilter]):
    scope = request.scope
    scope.require_admin()
    org = scope.org_or_404(filters.org) if filters.org else None
    return selectors.unit_list(scope=scope, org=org, year=filters.year)


@router.get("pledges/{pledge_id}", response=PledgeOut, summary="一份承诺")
def pledges_detail(request, pledge_id: int):
    return _pledge(request, pledge_id)


@router.post("pledges/{pledge_id}/submit", response=PledgeOut, summary="提交审核(承诺人)")
def pledges_submit(request, pledge_id: int):
    return _act(request, pledge_id, Action.SUBMIT)


@router.post("pledges/{pledge_id}/withdraw", response=PledgeOut, summary="审核前撤回(承诺人)")
def pledges_withdraw(request, pledge_id: int):
    return _act(request, pledge_id, Action.WITHDRAW)


@router.post("pledges/{pledge_id}/review", response=PledgeOut, summary="支部审诺:通过、退回或不予通过")
def pledges_review(request, pledge_id: int, payload: ReviewIn):
    return _act(request, pledge_id, payload.decision, comment=payload.comment)


@router.post("pledges/{pledge_id}/publish", response=PledgeOut, summary="公示(亮诺),审核意见随之公开")
def pledges_publish(request, pledge_id: int):
    return _act(request, pledge_id, Action.PUBLISH)


@router.post("pledges/{pledge_id}/progress", response=PledgeOut, summary="报告践诺进展(附佐证)")
def pledges_progress(request, pledge_id: int, payload: PledgeProgressIn):
    pledge = _pledge(request, pledge_id)
    services.pledge_progress(pledge=pledge, scope=request.scope, actor=request.user, note=payload.note,
                             evidence=payload.evidence, item_id=payload.item_id, done=payload.done)
    return _pledge(request, pledge_id)


@router.post("pledges/{pledge_id}/transition", response=PledgeOut,
             summary="其余环节:提交践诺情况、开启评议、结束评议、归档")
def pledges_transition(request, pledge_id: int, payload: TransitionIn):
    return _act(request, pledge_id, payload.action, summary=payload.summary, closes_on=payload.closes_on)


class RatedOut(Schema):
    kind: str
    label: str
    points: int


@router.post("pledges/{pledge_id}/rate", response=RatedOut, summary="评诺:自评、党员互评或群众评议(每账号一次)")
def pledges_rate(request, pledge_id: int, payload: RateIn):
    # Rating is open to any signed-in account once the commitment is public, not only to the scope.
    pledge = selectors.public_pledge_or_404(pledge_id=pledge_id)
    ratelimit.check(f"pledges-rate:u{request.user.pk}", limit=20, window=60)
    rating = services.pledge_rate(pledge=pledge, scope=request.scope, actor=request.user, value=payload.value,
                                  comment=payload.comment, today=timezone.localdate())
    return rating
