"""Unit commitment lists (承诺清单 → 成果展示) and checklists (履新九个一)."""

from datetime import date

import pytest

from dangshi.errors import Conflict, Invalid, Refused
from dangshi.pledges import selectors, services_units
from dangshi.pledges.models import UnitState
from tests.pledges import builders as b


def test_a_unit_lists_publishes_reports_and_shows_its_results(world, client):
    office = b.scope(world, "office")
    first, second = b.unit(world, title="压缩审批时限"), b.unit(world, title="开展政策进企业")
    with pytest.raises(Conflict, match="公开后"):
        services_units.unit_progress(unit=first, scope=office, percent=50, note="推进中")
    assert services_units.unit_list_publish(org=world.branch_a, scope=office, year=2021) == 2
    first.refresh_from_db()
    services_units.unit_progress(unit=first, scope=office, percent=60, note="推进中")
    with pytest.raises(Invalid, match="不能低于"):
        services_units.unit_progress(unit=first, scope=office, percent=40, note="倒退")
    with pytest.raises(Invalid, match="践诺成果"):
        services_units.unit_progress(unit=first, scope=office, percent=100, note="完成")
    services_units.unit_progress(unit=first, scope=office, percent=100, note="完成", result="审批时限压缩 35%",
                                 evidence="审批系统统计表")
    first.refresh_from_db()
    assert first.state == UnitState.DONE and first.updates.count() == 2
    body = client.get(f"/pledges/public/showcase/{world.root.code}/?year=2021").content.decode()
    assert "审批时限压缩 35%" in body and "审批系统统计表" in body and second.title not in body


def test_the_office_sees_every_units_completion_rate(world):
    office = b.scope(world, "office")
    for org, n_done, n_open in ((world.branch_a, 1, 1), (world.branch_c, 0, 3)):
        for i in range(n_done + n_open):
            b.unit(world, org, title=f"事项{i}")
        services_units.unit_list_publish(org=org, scope=office, year=2021)
        for unit in selectors.unit_list(scope=office, org=org, year=2021)[:n_done]:
            services_units.unit_progress(unit=unit, scope=office, percent=100, note="完成", result="成果", evidence="台账")
    rows = {r["code"]: r for r in selectors.unit_completion(scope=office, org=world.root, year=2021)}
    assert (rows["BRA"]["total"], rows["BRA"]["done"], rows["BRA"]["rate"]) == (2, 1, 50.0)
    assert (rows["BRC"]["total"], rows["BRC"]["done"], rows["BRC"]["rate"]) == (3, 0, 0.0)
    page = world.client("office").get("/pledges/console/units/?org=ROOT&year=2021").content.decode()
    assert "测试社区第一党支部" in page and "第二街道机关党支部" in page and "20.0%" in page  # 1 of 5 overall
    # admin_a sees only their own branch's list.
    assert [r["code"] for r in selectors.unit_completion(scope=b.scope(world, "admin_a"), org=world.branch_a,
                                                          year=2021)] == ["BRA"]
    with pytest.raises(Refused):
        services_units.unit_pledge_create(org=world.branch_b, scope=b.scope(world, "admin_a"), year=2021,
                                          title="越权", measure="x", due_on=date(2021, 12, 31))


def test_checklist_ticks_with_date_and_evidence_and_completion_per_org_and_district(world):
    checklist = b.checklist(world)  # 履新九个一 for 支部A and 支部B
    items = list(checklist.items.order_by("position"))
    assert [i.title for i in items][:2] == ["一次集中亮相", "一份履职承诺"] and len(items) == 9
    admin_a = b.scope(world, "admin_a")
    for item in items[:3]:
        services_units.checklist_tick(item=item, org=world.branch_a, scope=admin_a, done_on=date(2021, 5, 1),
                                      evidence="会议记录")
    with pytest.raises(Conflict, match="已完成登记"):
        services_units.checklist_tick(item=items[0], org=world.branch_a, scope=admin_a, done_on=date(2021, 5, 2),
                                      evidence="重复")
    with pytest.raises(Invalid, match="佐证"):
        services_units.checklist_tick(item=items[3], org=world.branch_a, scope=admin_a, done_on=date(2021, 5, 2),
                                      evidence=" ")
    with pytest.raises(Refused):
        services_units.checklist_tick(item=items[0], org=world.branch_b, scope=admin_a, done_on=date(2021, 5, 2),
                                      evidence="越权")
    with pytest.raises(Invalid, match="不在此清单"):
        services_units.checklist_tick(item=items[0], org=world.branch_c, scope=b.scope(world, "office"),
                                      done_on=date(2021, 5, 2), evidence="未分配")
    progress = selectors.checklist_progress(scope=b.scope(world, "office"), checklist=checklist)
    rows = {r["org"].code: r for r in progress["rows"]}
    assert rows["BRA"]["done"] == 3 and rows["BRA"]["rate"] == 33.3 and rows["BRB"]["done"] == 0
    assert (progress["ticked"], progress["total"], progress["rate"]) == (3, 18, 16.7)
    mine = selectors.checklist_progress(scope=admin_a, checklist=checklist)
    assert [r["org"].code for r in mine["rows"]] == ["BRA"]
    page = world.client("office").get(f"/pledges/console/checklists/{checklist.pk}/").content.decode()
    assert "16.7%" in page and "一件开门实事" in page


def test_ticking_on_the_console_page(world):
    checklist = b.checklist(world)
    item = checklist.items.get(position=9)
    client = world.client("admin_a")
    client.post(f"/pledges/console/checklists/{checklist.pk}/",
                {"org": "BRA", "item": item.pk, "done_on": "2021-05-04", "evidence": "为居民修路灯"})
    tick = item.ticks.get()
    assert (tick.org.code, tick.done_on, tick.evidence) == ("BRA", date(2021, 5, 4), "为居民修路灯")
    assert world.client("admin_b").get(f"/pledges/console/checklists/{checklist.pk}/").status_code == 200
    response = world.client("admin_b").post(f"/pledges/console/checklists/{checklist.pk}/",
                                            {"org": "BRA", "item": item.pk, "evidence": "越权"})
    assert response.status_code == 404
