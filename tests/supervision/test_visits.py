from datetime import date

import pytest

from dangshi.errors import Conflict, Invalid
from dangshi.supervision import services
from dangshi.supervision.models import Group


def test_a_guidance_visit_logs_findings_and_rectification_items_until_closed(world, office_scope):
    group = Group.objects.create(org=world.root, kind="guidance", name="第二巡回指导组")
    visit = services.visit_create(scope=office_scope, group=group, org=world.branch_a, visited_on=date(2021, 5, 10),
                                  findings="学习计划完整", problems="学习记录不全",
                                  items=[("补齐学习记录", date(2021, 5, 31)), ("建立台账", date(2021, 6, 15))])
    item = visit.items.first()
    services.rectification_close(scope=office_scope, item=item, note="已补齐", today=date(2021, 5, 20))
    assert item.closed_on == date(2021, 5, 20)
    with pytest.raises(Conflict):
        services.rectification_close(scope=office_scope, item=item, note="再次", today=date(2021, 5, 21))
    body = world.client("admin_a").get(f"/supervision/console/visits/{visit.pk}/").content.decode()
    assert "学习记录不全" in body and "已补齐" in body and "建立台账" in body
    with pytest.raises(Invalid):
        services.visit_create(scope=office_scope, group=group, org=world.branch_a, visited_on=date(2021, 5, 10),
                              items=[("x", date(2021, 5, 1))])


def test_visit_form_and_outsider(world):
    group = Group.objects.create(org=world.root, kind="guidance", name="第三巡回指导组")
    client = world.client("office")
    response = client.post("/supervision/console/visits/", {"org": "ROOT", "group": group.pk, "visit_org": "BRC",
                                                            "visited_on": "2021-05-11", "items": "整改一\n整改二",
                                                            "item_due": "2021-06-01"})
    assert response.status_code == 302
    assert group.visits.get().items.count() == 2
    assert world.client("admin_b").post("/supervision/console/visits/", {"org": "ROOT", "group": group.pk}).status_code == 404
