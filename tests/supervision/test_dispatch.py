from datetime import date

from dangshi.supervision import selectors, services
from dangshi.supervision.models import Task, TaskSource
from tests.reports.fakes import gap

MONDAY = date(2021, 6, 7)


def _fixture_week(world, office_scope, fake):
    mk = services.task_create
    mk(scope=office_scope, org=world.root, title="制定学习计划", starts_on=date(2021, 3, 1), due_on=date(2021, 6, 1),
       orgs=[world.street])  # overdue
    mk(scope=office_scope, org=world.root, title="报送专题报告", starts_on=date(2021, 5, 1), due_on=date(2021, 6, 4),
       orgs=[world.branch_a, world.branch_c])  # overdue, two responsible units
    mk(scope=office_scope, org=world.root, title="组织知识竞赛", starts_on=date(2021, 6, 1), due_on=date(2021, 6, 9))  # at risk
    mk(scope=office_scope, org=world.root, title="远期任务", starts_on=date(2021, 6, 1), due_on=date(2021, 9, 30))  # on schedule
    done = mk(scope=office_scope, org=world.root, title="已完成任务", starts_on=date(2021, 3, 1), due_on=date(2021, 5, 1))
    Task.objects.filter(pk=done.pk).update(done_on=date(2021, 4, 20), progress=100)
    fake.agenda = [
        gap(world.branch_b),
        gap(world.branch_a, "实事项目进度滞后", "matter_lagging", "practical"),
        gap(world.branch_c, "答题参与率低", "quiz_low", "quiz"),
    ]


def test_fixture_week_agenda_lists_exactly_the_overdue_tasks_gap_orgs_and_lagging_matters(world, office_scope, fake):
    _fixture_week(world, office_scope, fake)
    agenda = selectors.agenda(root=world.root, week_start=MONDAY)
    lines = sorted((i.kind, i.title, i.org_name) for i in agenda.items)
    assert lines == sorted([
        ("task_overdue", "逾期:制定学习计划", "中共测试街道工作委员会"),
        ("task_overdue", "逾期:报送专题报告", "测试社区第一党支部"),
        ("task_overdue", "逾期:报送专题报告", "第二街道机关党支部"),
        ("task_at_risk", "临期或滞后:组织知识竞赛", "中共测试区委员会"),
        ("org_no_session", "本月未开展宣讲", "测试社区第二党支部"),
        ("matter_lagging", "实事项目进度滞后", "测试社区第一党支部"),
        ("quiz_low", "答题参与率低", "第二街道机关党支部"),
    ])
    assert all(i.url for i in agenda.items)


def test_a_sub_org_agenda_keeps_only_its_subtree(world, office_scope, fake):
    _fixture_week(world, office_scope, fake)
    agenda = selectors.agenda(root=world.street2, week_start=MONDAY)
    assert {i.org_name for i in agenda.items} == {"第二街道机关党支部"}


def test_agenda_page_and_api_name_the_org_with_a_link(world, office_scope, fake):
    _fixture_week(world, office_scope, fake)
    body = world.client("office").get("/supervision/console/dispatch/?org=ROOT&week_start=2021-06-09").content.decode()
    assert "2021-06-07" in body and "测试社区第二党支部" in body and "/orgs/console/?org=BRB" in body
    api = world.client("office").get("/api/v1/supervision/agenda?org=ROOT&week_start=2021-06-07").json()
    assert len(api["items"]) == 7


def test_decisions_of_the_meeting_become_new_tasks(world, office_scope, fake):
    client = world.client("office")
    response = client.post("/supervision/console/dispatch/", {
        "org": "ROOT", "week_start": "2021-06-07", "notes": "研究部署", "title": "补开专题宣讲", "decision_org": "BRB",
        "due_on": "2021-06-20",
    })
    assert response.status_code == 302
    task = Task.objects.get(title="补开专题宣讲")
    assert task.source == TaskSource.DISPATCH and task.dispatch.week_start == MONDAY
    assert [o.code for o in task.orgs.all()] == ["BRB"]
    assert "补开专题宣讲" in client.get("/supervision/console/dispatch/?org=ROOT&week_start=2021-06-07").content.decode()
    assert world.client("admin_b").post("/supervision/console/dispatch/", {"org": "ROOT", "title": "x"}).status_code == 404
