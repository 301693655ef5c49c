from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dangshi.audit.models import AuditEvent
from dangshi.audit.services import subscribe
from dangshi.errors import Conflict, Refused
from dangshi.orgs.scope import scope_for
from dangshi.outreach import selectors, services
from dangshi.outreach.models import Activity, ActivityKind, Attendance, LeaveStatus
from dangshi.outreach.subscribers import record_visit
from tests.outreach import helpers as h


def test_sign_in_outside_the_window_is_refused_with_a_clear_message(world):
    w = world
    start = timezone.now() + timedelta(hours=3)
    activity = h.activity(w, when=start, minutes=30)
    member = w.members["member_a"]
    with pytest.raises(Refused) as exc:
        services.attendance_sign(activity=activity, member=member, token=activity.signin_token, now=start - timedelta(minutes=31))
    message = str(exc.value.message)
    assert "不在签到时间内" in message
    opens = timezone.localtime(start - timedelta(minutes=30)).strftime("%H:%M")
    assert opens in message
    with pytest.raises(Refused):
        services.attendance_sign(activity=activity, member=member, token=activity.signin_token, now=start + timedelta(minutes=31))
    assert not Attendance.objects.exists()


def test_sign_in_within_the_window_counts_and_a_second_is_idempotent(world):
    w = world
    start = timezone.now()
    activity = h.activity(w, when=start, minutes=15)
    member = w.members["member_a"]
    first, created = services.attendance_sign(activity=activity, member=member, token=activity.signin_token,
                                              now=start + timedelta(minutes=14))
    assert created
    again, created_again = services.attendance_sign(activity=activity, member=member, token=activity.signin_token,
                                                    now=start + timedelta(hours=5))  # even after the window
    assert not created_again and again.pk == first.pk
    assert Attendance.objects.count() == 1
    assert AuditEvent.objects.filter(action="outreach.attendance.signed").count() == 1


def test_sign_in_event_carries_member_and_activity(world):
    seen = []

    @subscribe("outreach.attendance.signed")
    def _catch(event, obj):
        seen.append((obj.member, obj.activity))

    try:
        activity = h.activity(world)
        services.attendance_sign(activity=activity, member=world.members["member_a"], token=activity.signin_token)
    finally:
        from dangshi.audit import services as audit

        audit._subscribers.remove(("outreach.attendance.signed", _catch))
    assert seen == [(world.members["member_a"], activity)]


def test_wrong_token_and_other_org_are_refused(world):
    activity = h.activity(world)
    with pytest.raises(Refused):
        services.attendance_sign(activity=activity, member=world.members["member_a"], token="guess")
    with pytest.raises(Refused):
        services.attendance_sign(activity=activity, member=world.members["member_c"], token=activity.signin_token)


def test_api_sign_in_answers_201_then_200_and_refuses_outsiders(world):
    activity = h.activity(world)
    url = f"/api/v1/outreach/activities/{activity.pk}/sign-in"
    client = world.client("member_a")
    first = client.post(url, {"token": activity.signin_token}, content_type="application/json")
    assert first.status_code == 201 and first.json()["created"] is True
    second = client.post(url, {"token": activity.signin_token}, content_type="application/json")
    assert second.status_code == 200 and second.json()["created"] is False
    for persona in ("member_c", "admin_b", "outsider"):
        response = world.client(persona).post(url, {"token": activity.signin_token}, content_type="application/json")
        assert response.status_code == 404, persona


def test_api_sign_in_outside_window_answers_403_with_message(world):
    activity = h.activity(world, when=timezone.now() + timedelta(days=1))
    response = world.client("member_a").post(f"/api/v1/outreach/activities/{activity.pk}/sign-in",
                                             {"token": activity.signin_token}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "outside_window" and "签到时间" in response.json()["message"]


def test_h5_sign_page_signs_in_from_the_qr_link(world):
    activity = h.activity(world)
    client = world.client("member_a")
    url = f"/outreach/h5/sign/{activity.signin_token}/"
    assert "确认签到" in client.get(url).content.decode()
    body = client.post(url, follow=True).content.decode()
    assert "签到成功" in body and 'id="signed"' in body
    assert "无需重复签到" in client.post(url, follow=True).content.decode()


def test_leave_is_approved_by_the_branch_and_lowers_the_due_count(world):
    w = world
    activity = h.activity(w, when=timezone.now() + timedelta(days=2))
    leave = services.leave_request(activity=activity, member=w.members["member_a"], reason="出差")
    with pytest.raises(Refused):
        services.leave_decide(scope=scope_for(w.users["admin_b"]), actor=w.users["admin_b"], leave=leave, approve=True)
    services.leave_decide(scope=scope_for(w.users["admin_a"]), actor=w.users["admin_a"], leave=leave, approve=True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    with pytest.raises(Conflict):
        services.leave_decide(scope=scope_for(w.users["admin_a"]), actor=w.users["admin_a"], leave=leave, approve=False)
    figures = selectors.activity_attendance(activity=activity)
    assert figures["expected"] == 2 and figures["leave"] == 1  # member_a and the sentinel


def test_attendance_rate_per_activity_and_per_member(world):
    w = world
    today = timezone.localdate()
    a1 = h.activity(w, title="夜学一")
    h.activity(w, title="夜学二")
    services.attendance_sign(activity=a1, member=w.members["member_a"], token=a1.signin_token)
    assert selectors.activity_attendance(activity=a1)["rate"] == 0.5
    figures = selectors.member_attendance(member=w.members["member_a"], start=today, end=today)
    assert figures == {"due": 2, "signed": 1, "leave": 0, "rate": 0.5}


def test_member_leave_request_from_h5(world):
    activity = h.activity(world, when=timezone.now() + timedelta(days=1))
    response = world.client("member_a").post(f"/outreach/h5/activities/{activity.pk}/leave/", {"reason": "值班"})
    assert response.status_code == 302
    assert activity.leaves.get().reason == "值班"
    assert world.client("member_c").post(f"/outreach/h5/activities/{activity.pk}/leave/", {"reason": "x"}).status_code == 404


def test_held_group_visit_is_recorded_once_as_an_activity(world):
    visit = SimpleNamespace(pk=41, org=world.branch_a, site="红色教育基地", date=timezone.localdate(),
                            attendees=[world.members["member_a"], world.members["sentinel"]])
    record_visit(None, visit)
    record_visit(None, visit)
    activity = Activity.objects.get(source="redsites.visit:41")
    assert activity.kind == ActivityKind.VISIT and activity.org == world.branch_a
    assert activity.audience_offline == 2 and activity.attendances.count() == 2


def test_visit_with_a_head_count_is_recorded(world):
    visit = SimpleNamespace(pk=42, org=world.branch_b, site="纪念馆", date=timezone.localdate(), attendees=17)
    record_visit(None, visit)
    assert Activity.objects.get(source="redsites.visit:42").audience_offline == 17


def test_redsites_visit_event_reaches_the_subscriber(world):
    from dangshi.audit.services import _subscribers

    assert any(prefix == "redsites.visit.held" and handler is record_visit for prefix, handler in _subscribers)
