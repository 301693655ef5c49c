"""The /api/v1/pledges API: the 五诺 journey over HTTP, scoping and refusals."""

import json

from dangshi.pledges.models import Pledge, State
from tests.pledges import builders as b

ITEMS = [{"what": "结对帮扶困难群众", "due_on": "2021-12-31", "measure": "每月走访 1 次", "category": "service"},
         {"what": "读完《中国共产党简史》", "due_on": "2021-09-30", "measure": "心得 1 篇", "category": "study"}]


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_the_five_promises_journey_over_the_api(world):
    b.round_(world)
    member, secretary = world.client("member_a"), world.client("admin_a")
    response = post(member, "/api/v1/pledges/mine", {"items": ITEMS})
    assert response.status_code == 200, response.content
    pid = response.json()["id"]
    assert response.json()["state"] == "draft" and len(response.json()["items"]) == 2
    assert post(member, f"/api/v1/pledges/{pid}/submit").json()["state"] == "submitted"
    # 审诺: returned with a comment, which the member sees; the commitment is editable again.
    response = post(secretary, f"/api/v1/pledges/{pid}/review", {"decision": "return", "comment": "请写明走访对象"})
    assert response.json()["state"] == "returned"
    mine = member.get("/api/v1/pledges/mine").json()
    assert mine[0]["review_comment"] == "请写明走访对象" and mine[0]["review_released"] is False
    items = [dict(ITEMS[0], what="结对帮扶 3 户困难群众"), ITEMS[1]]
    response = post(member, "/api/v1/pledges/mine", {"items": items})
    assert response.json()["state"] == "draft" and response.json()["items"][0]["what"] == "结对帮扶 3 户困难群众"
    post(member, f"/api/v1/pledges/{pid}/submit")
    assert post(secretary, f"/api/v1/pledges/{pid}/review", {"decision": "approve"}).json()["state"] == "approved"
    # An approved commitment is not editable.
    response = post(member, "/api/v1/pledges/mine", {"items": ITEMS})
    assert response.status_code == 409 and "不能修改" in response.json()["message"]
    assert post(secretary, f"/api/v1/pledges/{pid}/publish").json()["review_released"] is True
    response = post(member, f"/api/v1/pledges/{pid}/progress", {"note": "已走访 2 户", "evidence": "走访照片"})
    assert response.json()["state"] == "fulfilling" and response.json()["progress"][0]["evidence"] == "走访照片"
    response = post(member, f"/api/v1/pledges/{pid}/transition", {"action": "submit_fulfilment", "summary": "完成"})
    assert response.json()["state"] == "fulfilment_submitted"
    response = post(secretary, f"/api/v1/pledges/{pid}/transition", {"action": "open_rating"})
    assert response.json()["state"] == "rating_open"
    assert post(member, f"/api/v1/pledges/{pid}/rate", {"value": "优秀"}).json()["kind"] == "self"
    assert post(world.client("outsider"), f"/api/v1/pledges/{pid}/rate", {"value": "良好"}).json()["kind"] == "public"
    response = post(world.client("outsider"), f"/api/v1/pledges/{pid}/rate", {"value": "优秀"})
    assert response.status_code == 409
    response = post(secretary, f"/api/v1/pledges/{pid}/transition", {"action": "close_rating"})
    # self 100 (weight 20) and public 80 (weight 50), no peers: (2000 + 4000) / 70 = 85.71 → 良好
    assert response.json()["state"] == "rated"
    assert response.json()["grade_score"] == 85.71 and response.json()["grade"] == "良好"


def test_a_branch_secretary_gets_404_reviewing_another_branchs_commitment(world):
    pledge = b.pledge_in(world, State.SUBMITTED)
    for persona in ("admin_b", "member_c", "outsider"):
        response = post(world.client(persona), f"/api/v1/pledges/{pledge.pk}/review", {"decision": "approve"})
        assert response.status_code == 404, persona
    pledge.refresh_from_db()
    assert pledge.state == State.SUBMITTED
    assert world.client("admin_b").get(f"/pledges/console/p/{pledge.pk}/").status_code == 404
    response = world.client("admin_b").post(f"/pledges/console/p/{pledge.pk}/act/", {"action": "approve"})
    assert response.status_code == 404


def test_outsiders_cannot_write_a_commitment(world):
    pledge = b.pledge_in(world, State.DRAFT)
    for persona in ("admin_b", "member_c", "outsider"):
        client = world.client(persona)
        for action in ("submit", "withdraw", "publish"):
            assert post(client, f"/api/v1/pledges/{pledge.pk}/{action}").status_code == 404
        body = {"note": "x", "evidence": "y"}
        assert post(client, f"/api/v1/pledges/{pledge.pk}/progress", body).status_code == 404
    assert post(world.client(None), f"/api/v1/pledges/{pledge.pk}/submit").status_code == 401
    response = post(world.client("outsider"), "/api/v1/pledges/mine", {"items": ITEMS})
    assert response.status_code == 403
    # The secretary may not act for the member either.
    response = post(world.client("admin_a"), f"/api/v1/pledges/{pledge.pk}/submit")
    assert response.status_code == 403 and "本人" in response.json()["message"]
    assert Pledge.objects.get(pk=pledge.pk).state == State.DRAFT


def test_the_list_filters_by_org_and_state_within_scope(world):
    b.pledge_in(world, State.SUBMITTED)
    b.pledge_in(world, State.PUBLISHED, member_key="member_c")
    office = world.client("office")
    assert office.get("/api/v1/pledges").json()["count"] == 2
    assert office.get("/api/v1/pledges?state=submitted").json()["items"][0]["member"] == "甲支部党员"
    assert office.get("/api/v1/pledges?org=BRC").json()["count"] == 1
    assert world.client("admin_a").get("/api/v1/pledges").json()["count"] == 1
    assert world.client("admin_a").get("/api/v1/pledges?org=BRC").status_code == 404
    assert world.client("outsider").get("/api/v1/pledges").json()["count"] == 0


def test_the_unit_list_endpoint_is_scoped_and_filtered_by_year(world):
    b.unit(world)
    b.unit(world, world.branch_c, year=2020)
    office = world.client("office")
    assert office.get("/api/v1/pledges/units?year=2021").json()["count"] == 1
    assert office.get("/api/v1/pledges/units?org=BRC").json()["items"][0]["year"] == 2020
    assert world.client("admin_a").get("/api/v1/pledges/units").json()["count"] == 1
    assert world.client("admin_b").get("/api/v1/pledges/units").json()["count"] == 0
    assert world.client("member_a").get("/api/v1/pledges/units").status_code == 404
