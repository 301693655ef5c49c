from datetime import date

from tests.sweep import Param


def _task(w):
    from dangshi.supervision.models import Task

    return w.once("sv-task", lambda: Task.objects.create(org=w.branch_a, title="支部任务", starts_on=date(2021, 3, 1),
                                                         due_on=date(2021, 6, 30))).pk


def _visit(w):
    from dangshi.supervision.models import Group, Visit

    def make():
        group = Group.objects.create(org=w.branch_a, kind="guidance", name="第一巡回指导组")
        return Visit.objects.create(group=group, org=w.branch_a, visited_on=date(2021, 5, 10), findings="做法")

    return w.once("sv-visit", make).pk


def _competition(w):
    from dangshi.supervision.models import Competition

    return w.once("sv-comp", lambda: Competition.objects.create(org=w.branch_a, name="比武", starts_on=date(2021, 3, 1),
                                                                ends_on=date(2021, 6, 30))).pk


PARAMS = {
    "task_id": Param(_task),
    "visit_id": Param(_visit),
    "competition_id": Param(_competition),
}
ROUTES = {
    "supervision:console_tasks_import_report": {"token": Param(lambda w: "expired-token", owner=None)},
}
