from django.utils import timezone

from tests.outreach import helpers as h


def test_console_pages_render_for_an_admin(world):
    w = world
    h.session(w)
    h.lecturer(w, appoint=True)
    activity = h.activity(w)
    client = w.client("admin_a")
    for url in ("/outreach/console/", "/outreach/console/gaps/", "/outreach/console/sessions/",
                "/outreach/console/sessions/new/", "/outreach/console/lecturers/", "/outreach/console/groups/",
                "/outreach/console/activities/", f"/outreach/console/activities/{activity.pk}/"):
        assert client.get(url).status_code == 200, url
    qr = client.get(f"/outreach/console/activities/{activity.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_admin_creates_an_activity_and_a_lecturer_from_the_console(world):
    client = world.client("admin_a")
    response = client.post("/outreach/console/activities/", {
        "org": "BRA", "kind": "reading", "title": "读书班", "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": "活动室", "signin_minutes": 20})
    assert response.status_code == 302
    response = client.post("/outreach/console/lecturers/", {"org": "BRA", "name": "李老师", "kind": "teacher"})
    assert response.status_code == 302
    assert "李老师" in client.get("/outreach/console/lecturers/").content.decode()


def test_member_sees_own_activities_on_h5(world):
    h.activity(world, title="主题党日·重温入党誓词")
    h.activity(world, persona="office", org=world.branch_c, title="别的支部活动")
    body = world.client("member_a").get("/outreach/h5/activities/").content.decode()
    assert "重温入党誓词" in body and "别的支部活动" not in body
    assert world.client("admin_a").get("/outreach/h5/activities/").status_code == 404


def test_admin_forms_a_group_with_a_zone_from_the_console(world):
    from tests.outreach.test_coverage import services_campaign

    services_campaign(world)
    client = world.client("admin_a")
    response = client.post("/outreach/console/groups/", {"name": "支部宣讲小组", "zone": ["BRA"]})
    assert response.status_code == 302
    body = client.get("/outreach/console/groups/").content.decode()
    assert "支部宣讲小组" in body
    from dangshi.outreach.models import LectureGroup

    assert list(LectureGroup.objects.get().zone.values_list("code", flat=True)) == ["BRA"]
