from datetime import date, datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangshi.accounts.services import token_issue
from dangshi.core import ratelimit
from dangshi.core.apiutil import Paged
from dangshi.core.context import client_ip
from dangshi.orgs import selectors, services

PREFIX = "/"
router = Router(tags=["orgs"])


class OrgRef(Schema):
    code: str
    name: str


class OrgOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    parent: str | None = Field(None, alias="parent.code")
    depth: int
    grassroots: bool
    two_new: str
    mobile: bool
    secretary: str


class OrgFilter(Schema):
    parent: str | None = None
    grassroots: bool | None = None
    q: str = ""


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: date | None
    joined_on: date | None
    category: str
    mobile: bool
    youth: bool
    two_new: bool
    org: OrgRef
    phone: str = Field(alias="phone_masked")
    id_number: str = Field(alias="id_number_masked")


class MemberFilter(Schema):
    org: str | None = None
    q: str = ""
    category: str = ""


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[dict]
    org: OrgRef | None
    member_id: int | None


@router.get("orgs/", response=list[OrgOut], summary="范围内的组织")
@paginate(Paged)
def orgs_list(request, filters: Query[OrgFilter]):
    scope = request.scope
    parent = scope.org_or_404(filters.parent) if filters.parent else None
    return selectors.org_list(scope=scope, parent=parent, grassroots=filters.grassroots, q=filters.q)


@router.get("orgs/{code}", response=OrgOut, summary="一个组织")
def orgs_detail(request, code: str):
    return request.scope.org_or_404(code)


@router.get("members/", response=list[MemberOut], summary="范围内的党员(个人信息已脱敏)")
@paginate(Paged)
def members_list(request, filters: Query[MemberFilter]):
    scope = request.scope
    org = scope.org_or_404(filters.org) if filters.org else None
    return selectors.member_list(scope=scope, org=org, q=filters.q, category=filters.category)


@router.get("members/{member_id}", response=MemberOut, summary="一名党员(个人信息已脱敏)")
def members_detail(request, member_id: int):
    return request.scope.member_or_404(member_id)


@router.get("me", response=MeOut, summary="当前用户、角色与所在组织")
def me(request):
    user, scope = request.auth, request.scope
    roles = [
        {"role": b.role, "label": b.get_role_display(), "org": {"code": b.org.code, "name": b.org.name}}
        for b in user.roles.select_related("org")
    ]
    org = scope.home_org
    return {
        "username": user.username,
        "display_name": str(user),
        "roles": roles,
        "org": {"code": org.code, "name": org.name} if org else None,
        "member_id": scope.member_id,
    }


# -- members' ways in (issue 14) -------------------------------------------------------
class PhoneIn(Schema):
    phone: str


class CodeIn(Schema):
    phone: str
    code: str


class BearerOut(Schema):
    token: str


class AccountOut(Schema):
    state: str = Field(description="pending / active / disabled")
    state_label: str
    last_login: datetime | None


@router.post("auth/sms/request", auth=None, response={202: None}, summary="向登记的手机号发送登录验证码(未登记的号码同样返回 202)")
def auth_sms_request(request, payload: PhoneIn):
    services.sms_sign_in_request(phone=payload.phone, client=client_ip(request) or "")
    return 202, None


@router.post("auth/sms/verify", auth=None, response={200: BearerOut}, summary="用短信验证码登录,换取令牌")
def auth_sms_verify(request, payload: CodeIn):
    ratelimit.check(f"signin-verify-client:{client_ip(request) or 'unknown'}", limit=60, window=600)
    user = services.sms_sign_in_verify(phone=payload.phone, code=payload.code)
    _token, key = token_issue(user=user, name="sms")
    return {"token": key}


@router.get("members/{member_id}/account", response=AccountOut, summary="党员账号状态(范围内的管理员)")
def member_account(request, member_id: int):
    scope = request.scope
    scope.require_admin()
    return selectors.member_account(member=scope.member_or_404(member_id))
