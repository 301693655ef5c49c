from datetime import date

import pytest

from dangshi.errors import Conflict, Refused
from dangshi.orgs.scope import scope_for
from dangshi.supervision import selectors, services
from dangshi.supervision.models import Reminder, Task


def _task(scope, org, title, starts, due, orgs=(), **kw):
    return services.task_create(scope=scope, org=org, title=title, starts_on=starts, due_on=due, orgs=list(orgs), **kw)


def test_status_follows_the_controlled_clock(world, office_scope):
    t = _task(office_scope, world.root, "编印学习资料", date(2021, 3, 1), date(2021, 3, 31))
    assert selectors.task_status(t, date(2021, 3, 2)) == "on_schedule"
    assert selectors.task_status(t, date(2021, 3, 20)) == "at_risk"  # 60% of the time gone, 0% done
    assert selectors.task_status(t, date(2021, 3, 29)) == "at_risk"  # due within 3 days
    assert selectors.task_status(t, date(2021, 4, 1)) == "overdue"
    t.progress = 70
    assert selectors.task_status(t, date(2021, 3, 20)) == "on_schedule"


def test_progress_report_with_evidence_closes_the_task_at_100(world, office_scope, admin_a_scope, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    t = _task(office_scope, world.root, "建立实事台账", date(2021, 3, 1), date(2021, 4, 30), orgs=[world.branch_a])
    services.task_report(scope=admin_a_scope, task=t, percent=50, note="已建台账", today=date(2021, 3, 20),
                         evidence=SimpleUploadedFile("台账.pdf", b"%PDF-1.4"))
    assert (t.progress, t.done_on) == (50, None)
    services.task_report(scope=admin_a_scope, task=t, percent=100, note="完成", today=date(2021, 4, 2))
    assert (t.progress, t.done_on) == (100, date(2021, 4, 2))
    assert selectors.task_status(t, date(2021, 5, 1)) == "done"
    assert t.reports.count() == 2 and t.reports.last().evidence
    with pytest.raises(Conflict):
        services.task_report(scope=admin_a_scope, task=t, percent=100, note="再次", today=date(2021, 4, 3))


def test_a_unit_not_responsible_cannot_report(world, office_scope):
    t = _task(office_scope, world.root, "任务", date(2021, 3, 1), date(2021, 4, 30), orgs=[world.branch_a])
    with pytest.raises(Refused):
        services.task_report(scope=scope_for(world.users["admin_b"]), task=t, percent=10, note="x")
    response = world.client("admin_b").post(f"/api/v1/supervision/tasks/{t.pk}/progress", {"percent": 10, "note": "x"},
                                            content_type="application/json")
    assert response.status_code == 404
    ok = world.client("admin_a").post(f"/api/v1/supervision/tasks/{t.pk}/progress", {"percent": 10, "note": "推进中"},
                                      content_type="application/json")
    assert ok.status_code == 201 and ok.json()["progress"] == 10


def test_sub_tasks_hang_under_their_task(world, office_scope):
    parent = _task(office_scope, world.root, "开展专题宣讲", date(2021, 3, 1), date(2021, 6, 30))
    _task(office_scope, world.root, "组建宣讲团", date(2021, 3, 1), date(2021, 3, 15), parent=parent)
    rows = selectors.task_list(scope=office_scope, today=date(2021, 3, 2))
    assert [t.title for t, _s in rows] == ["开展专题宣讲"]
    assert [t.title for t in rows[0][0].subtasks.all()] == ["组建宣讲团"]


def test_reminders_before_the_due_date_once_a_day(world, office_scope):
    _task(office_scope, world.root, "临期任务", date(2021, 3, 1), date(2021, 3, 12))
    _task(office_scope, world.root, "逾期任务", date(2021, 3, 1), date(2021, 3, 5))
    _task(office_scope, world.root, "远期任务", date(2021, 3, 1), date(2021, 5, 5))
    made = services.task_remind(org=world.root, today=date(2021, 3, 10))
    assert sorted((r.task.title, r.kind) for r in made) == [("临期任务", "due_soon"), ("逾期任务", "overdue")]
    assert services.task_remind(org=world.root, today=date(2021, 3, 10)) == []
    assert Reminder.objects.count() == 2


def test_tasks_api_lists_status_and_scopes(world, office_scope):
    _task(office_scope, world.root, "区级任务", date(2021, 3, 1), date(2021, 3, 5))
    _task(office_scope, world.root, "支部A任务", date(2021, 3, 1), date(2099, 3, 5), orgs=[world.branch_a])
    office = world.client("office").get("/api/v1/supervision/tasks/").json()
    assert {t["title"]: t["status"] for t in office} == {"区级任务": "overdue", "支部A任务": "on_schedule"}
    assert [t["title"] for t in world.client("admin_a").get("/api/v1/supervision/tasks/").json()] == ["支部A任务"]
    assert world.client("admin_b").get("/api/v1/supervision/tasks/").json() == []


def test_create_task_by_api_and_outsider_refused(world):
    payload = {"org": "ROOT", "title": "新任务", "starts_on": "2021-03-01", "due_on": "2021-03-31", "orgs": ["BRA"]}
    assert world.client("office").post("/api/v1/supervision/tasks/", payload, content_type="application/json").status_code == 201
    assert world.client("admin_a").post("/api/v1/supervision/tasks/", payload, content_type="application/json").status_code == 404
    assert world.client("outsider").post("/api/v1/supervision/tasks/", payload, content_type="application/json").status_code == 404
    assert Task.objects.count() == 1


def test_daily_reminder_command_records_reminders(world, office_scope):
    import io

    from django.core.management import call_command

    _task(office_scope, world.root, "临期任务", date(2021, 3, 1), date(2021, 3, 12))
    out = io.StringIO()
    call_command("supervision-remind", today="2021-03-10", stdout=out)
    assert "1 reminders" in out.getvalue() and Reminder.objects.get().kind == "due_soon"
