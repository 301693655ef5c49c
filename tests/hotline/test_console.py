"""Console pages and the API: the queue, one request with its actions, the KPI page, the import page;
writes refused to anyone out of scope."""

import io
from datetime import timedelta

from django.urls import reverse
from openpyxl import Workbook

from dangshi.hotline.models import Request, State
from tests.hotline.conftest import at


def test_queue_lists_requests_in_scope_only(hot):
    mine = hot.dispatched()
    other = hot.dispatched(org=hot.w.branch_b)
    body = hot.w.client("admin_a").get(reverse("hotline:console_queue")).content.decode()
    assert mine.number in body and other.number not in body
    office = hot.w.client("office").get(reverse("hotline:console_queue")).content.decode()
    assert mine.number in office and other.number in office


def test_dispatch_sign_and_reply_through_the_console(hot):
    req = hot.new()
    act = reverse("hotline:console_request_act", kwargs={"request_id": req.pk})
    hot.w.client("office").post(act, {"action": "dispatch", "org": hot.w.branch_a.code,
                                      "co_orgs": [hot.w.branch_b.code]})
    hot.w.client("admin_a").post(act, {"action": "sign"})
    hot.w.client("admin_a").post(act, {"action": "reply", "note": "已处理"})
    req.refresh_from_db()
    assert req.state == State.REPLIED and req.assignee == hot.user("admin_a")
    assert [c.org for c in req.co_orgs.all()] == [hot.w.branch_b]


def test_writes_out_of_scope_are_refused(hot):
    req = hot.dispatched()
    act = reverse("hotline:console_request_act", kwargs={"request_id": req.pk})
    for persona in ("admin_b", "member_c", "outsider"):
        assert hot.w.client(persona).post(act, {"action": "sign"}).status_code == 404
        r = hot.w.client(persona).post(f"/api/v1/hotline/requests/{req.pk}/actions", {"action": "sign"},
                                       content_type="application/json")
        assert r.status_code == 404
    # a co-handling org sees the request but may not sign it
    req = hot.new()
    hot.w.client("office").post(reverse("hotline:console_request_act", kwargs={"request_id": req.pk}),
                                {"action": "dispatch", "org": hot.w.branch_a.code, "co_orgs": ["BRB"]})
    assert hot.w.client("admin_b").get(f"/api/v1/hotline/requests/{req.pk}").status_code == 200
    r = hot.w.client("admin_b").post(f"/api/v1/hotline/requests/{req.pk}/actions", {"action": "sign"},
                                     content_type="application/json")
    assert r.status_code == 403
    req.refresh_from_db()
    assert req.state == State.DISPATCHED


def test_api_actions_run_the_state_machine(hot):
    req = hot.new()
    office, admin = hot.w.client("office"), hot.w.client("admin_a")
    url = f"/api/v1/hotline/requests/{req.pk}/actions"
    r = office.post(url, {"action": "dispatch", "org": "BRA"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "dispatched"
    assert admin.post(url, {"action": "close"}, content_type="application/json").status_code == 403
    assert admin.post(url, {"action": "sign"}, content_type="application/json").json()["state"] == "signed"
    r = admin.post(url, {"action": "sign"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    detail = office.get(f"/api/v1/hotline/requests/{req.pk}").json()
    assert [u["action"] for u in detail["updates"]] == ["receive", "dispatch", "sign"]


def test_kpi_page_and_api_show_the_ranking(hot):
    hot.called_back(when=at(1), sign_after=timedelta(hours=1))
    page = hot.w.client("office").get(reverse("hotline:console_kpis") + "?month=2021-03").content.decode()
    assert hot.w.branch_a.name in page and "100" in page
    rows = hot.w.client("office").get("/api/v1/hotline/kpis?month=2021-03").json()
    assert rows[0]["org_name"] == hot.w.branch_a.name and rows[0]["satisfaction_rate"] == 1.0
    assert hot.w.client("admin_a").get("/api/v1/hotline/kpis").status_code == 404


def test_import_page_reports_errors_and_imports(hot):
    wb = Workbook()
    ws = wb.active
    ws.append(["工单编号", "来电时间", "诉求类型", "诉求内容"])
    ws.append(["GD1", "不是时间", "投诉", "噪音扰民"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "x.xlsx"
    buf.seek(0)
    response = hot.w.client("office").post(reverse("hotline:console_import"), {"file": buf})
    body = response.content.decode()
    assert "第 2 行" in body and "来电时间" in body and Request.objects.count() == 0
    assert hot.w.client("admin_a").get(reverse("hotline:console_import")).status_code == 404
