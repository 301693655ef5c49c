import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from dangshi.core.tabular import ImportFailed
from dangshi.errors import Refused
from dangshi.orgs.scope import scope_for
from dangshi.outreach import imports, services
from dangshi.outreach.models import Session, SessionFile, SessionOrg
from tests.outreach import helpers as h


def test_author_edits_within_seven_days_but_later_only_the_org_admin(world):
    w = world
    session = h.session(w, persona="lecturer", org=w.branch_a)
    lecturer = w.users["lecturer"]
    services.session_update(scope=scope_for(lecturer), actor=lecturer, session=session, topic="改过的主题",
                            now=session.created_at + timedelta(days=6))
    with pytest.raises(Refused) as exc:
        services.session_update(scope=scope_for(lecturer), actor=lecturer, session=session, topic="再改",
                                now=session.created_at + timedelta(days=8))
    assert "组织管理员" in str(exc.value.message)
    admin = w.users["admin_a"]
    services.session_update(scope=scope_for(admin), actor=admin, session=session, topic="管理员修改",
                            now=session.created_at + timedelta(days=30))
    session.refresh_from_db()
    assert session.topic == "管理员修改"


def test_a_sibling_admin_cannot_log_or_edit_for_another_branch(world):
    w = world
    with pytest.raises(Refused):
        h.session(w, persona="admin_b", org=w.branch_a)
    session = h.session(w)
    with pytest.raises(Refused):
        services.session_update(scope=scope_for(w.users["admin_b"]), actor=w.users["admin_b"], session=session, topic="x")


def test_editing_the_date_moves_the_coverage_month(world):
    session = h.session(world, persona="office", covered=[world.branch_a, world.branch_b])
    earlier = session.starts_at - timedelta(days=62)
    services.session_update(scope=scope_for(world.users["office"]), actor=world.users["office"], session=session, starts_at=earlier)
    months = set(SessionOrg.objects.filter(session=session).values_list("month", flat=True))
    assert months == {timezone.localtime(earlier).date().replace(day=1)}
    assert SessionOrg.objects.filter(session=session).count() == 2


def test_online_views_need_the_platform(world):
    from dangshi.errors import Invalid

    with pytest.raises(Invalid) as exc:
        h.session(world, audience_online=300)
    assert exc.value.field == "online_platform"


def test_api_creates_and_reads_a_session(world):
    lecturer = h.lecturer(world)
    client = world.client("admin_a")
    response = client.post("/api/v1/outreach/sessions", {
        "org": "BRA", "starts_at": timezone.now().isoformat(), "venue_kind": "community", "place": "活动室",
        "topic": "伟大建党精神", "lecturers": [lecturer.pk], "audience_offline": 45,
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["covered_orgs"] == [{"code": "BRA", "name": "测试社区第一党支部"}]
    assert body["lecturers"] == [{"id": lecturer.pk, "name": "王宣讲"}]
    detail = client.get(f"/api/v1/outreach/sessions/{body['id']}").json()
    assert detail["topic"] == "伟大建党精神"
    listing = client.get(f"/api/v1/outreach/sessions?month={timezone.localdate():%Y-%m}").json()
    assert [s["id"] for s in listing["items"]] == [body["id"]]
    assert world.client("admin_b").get(f"/api/v1/outreach/sessions/{body['id']}").status_code == 404
    assert world.client("admin_b").get("/api/v1/outreach/sessions").json()["count"] == 0


def test_api_refuses_a_session_for_an_org_out_of_scope(world):
    payload = {"org": "BRA", "starts_at": timezone.now().isoformat(), "venue_kind": "community", "place": "x", "topic": "y"}
    for persona in ("admin_b", "member_c", "outsider"):
        response = world.client(persona).post("/api/v1/outreach/sessions", payload, content_type="application/json")
        assert response.status_code == 404, persona
    assert not Session.objects.exists()
    bad = world.client("admin_a").post("/api/v1/outreach/sessions", {**payload, "covered_orgs": ["BRB"]},
                                       content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "covered_orgs"


def test_lecturer_logs_from_the_phone_page_with_a_photo(world):
    client = world.client("lecturer")
    assert client.get("/outreach/h5/sessions/new/").status_code == 200
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "JPEG")
    response = client.post("/outreach/h5/sessions/new/", {
        "org": "BRA", "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "venue_kind": h.venue("village").pk,
        "place": "村委会", "topic": "乡村振兴中的党史故事", "covered_orgs": ["BRA", "BRB"], "audience_offline": 32,
        "audience_online": 0, "photos": [SimpleUploadedFile("site.jpg", buf.getvalue(), content_type="image/jpeg")],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    session = Session.objects.get()
    assert session.covered.count() == 2 and session.venue_kind.name == "进农村"
    assert SessionFile.objects.get(session=session).kind == "photo"


def _sheet(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(imports.HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("sessions.xlsx", out.getvalue())


def test_xlsx_import_lands_whole_or_not_at_all(world):
    h.lecturer(world, name="王宣讲")
    scope, admin = scope_for(world.users["admin_a"]), world.users["admin_a"]
    good = ["2021-04-12 09:30", "BRA", "进社区", "党群服务中心", "百年党史", "王宣讲", "BRA", 60, 0, ""]
    bad_org = ["2021-04-13 09:30", "BRB", "进社区", "党群服务中心", "百年党史", "", "", 10, 0, ""]
    bad_venue = ["2021-04-14 09:30", "BRA", "进月球", "x", "y", "无此人", "", 10, 0, ""]
    with pytest.raises(ImportFailed) as exc:
        imports.session_import(file=_sheet([good, bad_org, bad_venue]), scope=scope, actor=admin)
    columns = {(e.row, e.column) for e in exc.value.errors}
    assert columns == {(3, "主办组织编码"), (4, "宣讲阵地"), (4, "宣讲员")}
    assert not Session.objects.exists()
    assert imports.session_import(file=_sheet([good, good]), scope=scope, actor=admin) == 2
    assert Session.objects.count() == 2 and all(s.lecturers.count() == 1 for s in Session.objects.all())


def test_import_page_shows_row_errors(world):
    client = world.client("admin_a")
    response = client.post("/outreach/console/sessions/import/",
                           {"file": _sheet([["bad", "BRA", "进社区", "x", "y", "", "", 1, 0, ""]])})
    assert response.status_code == 200
    assert "第 2 行" in response.content.decode()
    assert client.get("/outreach/console/sessions/import/template.xlsx").status_code == 200
