"""Small builders for test data, on top of the real services."""

import itertools
from datetime import date

from django.contrib.auth import get_user_model

from dangshi.orgs.identity import id_check_char
from dangshi.orgs.models import Member, Org, OrgKind, RoleBinding
from dangshi.orgs.services import member_build, org_create

PASSWORD = "Test@Passw0rd"
_seq = itertools.count(1)


def valid_id_number(birth: date = date(1990, 1, 1), order: int | None = None, area: str = "110101") -> str:
    order = next(_seq) % 1000 if order is None else order
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_char(first17)


def org(parent: Org | None, name: str, kind: str = OrgKind.BRANCH, *, code: str | None = None, **fields) -> Org:
    fields.setdefault("grassroots", kind in {OrgKind.BRANCH, OrgKind.GENERAL_BRANCH})
    return org_create(code=code or f"T{next(_seq):05d}", name=name, kind=kind, parent=parent, **fields)


def user(username: str, **fields):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)


def member(org: Org, name: str = "测试党员", *, user=None, phone: str = "", id_number: str = "", **fields) -> Member:
    m = member_build(org=org, name=name, gender=fields.pop("gender", "M"), phone=phone, id_number=id_number, **fields)
    m.user = user
    m.save()
    return m


def role(u, role_name: str, on: Org) -> RoleBinding:
    return RoleBinding.objects.create(user=u, role=role_name, org=on)
