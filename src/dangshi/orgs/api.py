from datetime import date

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangshi.core.apiutil import Paged
from dangshi.orgs import selectors

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
