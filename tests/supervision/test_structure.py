import pytest

from dangshi.errors import Conflict, Invalid
from dangshi.supervision import services
from dangshi.supervision.models import GroupKind


def test_leading_group_office_working_and_guidance_groups_are_shown(world, office_scope):
    lead = services.group_create(scope=office_scope, org=world.root, kind=GroupKind.LEADING, name="党史学习教育领导小组")
    services.group_member_add(scope=office_scope, group=lead, name="王书记", title="区委书记", role="组长")
    services.group_create(scope=office_scope, org=world.root, kind=GroupKind.OFFICE, name="领导小组办公室", duties="统筹协调")
    services.group_create(scope=office_scope, org=world.root, kind=GroupKind.WORKING, name="简报材料组", duties="编发简报")
    guide = services.group_create(scope=office_scope, org=world.root, kind=GroupKind.GUIDANCE, name="第一巡回指导组")
    assert services.guidance_assign(scope=office_scope, group=guide, orgs=[world.street, world.street2]) == 2
    body = world.client("office").get("/supervision/console/").content.decode()
    for text in ("党史学习教育领导小组", "组长 王书记", "领导小组办公室", "编发简报", "第一巡回指导组", "中共第二街道工作委员会"):
        assert text in body


def test_group_names_are_unique_and_only_guidance_groups_get_orgs(world, office_scope):
    work = services.group_create(scope=office_scope, org=world.root, kind=GroupKind.WORKING, name="理论学习组")
    with pytest.raises(Conflict):
        services.group_create(scope=office_scope, org=world.root, kind=GroupKind.WORKING, name="理论学习组")
    with pytest.raises(Invalid):
        services.guidance_assign(scope=office_scope, group=work, orgs=[world.street])


def test_structure_page_is_for_admins_only(world):
    assert world.client("outsider").get("/supervision/console/").status_code == 404
    assert world.client("member_c").get("/supervision/console/").status_code == 404
