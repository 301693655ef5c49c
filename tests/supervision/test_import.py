import io

from openpyxl import Workbook, load_workbook

from dangshi.supervision import imports
from dangshi.supervision.models import Group, Task

HEADERS = ["任务", "牵头工作组", "责任单位编码", "阶段", "优先级", "开始日期", "完成时限", "成果形式", "上级任务"]


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "任务清单.xlsx"
    return out


def test_task_list_imports_with_groups_units_and_sub_tasks(world):
    Group.objects.create(org=world.root, kind="working", name="实践活动组")
    f = _xlsx([
        ["开展“我为群众办实事”", "实践活动组", "ST1、ST2", "学习教育", "重点", "2021-03-01", "2021-12-31", "实事清单", ""],
        ["建立实事台账", "实践活动组", "BRA", "学习教育", "一般", "2021/3/1", "2021年4月15日", "台账", "开展“我为群众办实事”"],
    ])
    response = world.client("office").post("/supervision/console/tasks/import/", {"org": "ROOT", "file": f})
    assert response.status_code == 302
    parent = Task.objects.get(parent=None)
    child = Task.objects.get(parent=parent)
    assert parent.group.name == "实践活动组" and parent.priority == 1
    assert sorted(o.code for o in parent.orgs.all()) == ["ST1", "ST2"]
    assert (child.title, str(child.due_on), [o.code for o in child.orgs.all()]) == ("建立实事台账", "2021-04-15", ["BRA"])


def test_a_bad_file_imports_nothing_and_reports_every_row(world):
    f = _xlsx([
        ["好的一行", "", "ST1", "", "一般", "2021-03-01", "2021-03-31", "", ""],
        ["", "不存在的组", "NOPE", "", "最高", "2021-03-31", "2021-03-01", "", "没有的上级"],
    ])
    client = world.client("office")
    response = client.post("/supervision/console/tasks/import/", {"org": "ROOT", "file": f})
    assert response.status_code == 200
    assert Task.objects.count() == 0
    body = response.content.decode()
    assert "第 3 行" in body and "未导入任何数据" in body
    token = body.split("/supervision/console/tasks/import/report/")[1].split(".xlsx")[0]
    report = load_workbook(io.BytesIO(client.get(f"/supervision/console/tasks/import/report/{token}.xlsx").content)).active
    rows = list(report.iter_rows(values_only=True))
    assert rows[0][-1] == "错误" and not rows[1][-1]
    for word in ("任务", "牵头工作组", "责任单位编码", "优先级", "完成时限", "上级任务"):
        assert word in rows[2][-1]


def test_units_outside_the_importing_org_are_refused(world):
    from dangshi.orgs.scope import scope_for

    f = _xlsx([["支部任务", "", "BRB", "", "一般", "2021-03-01", "2021-03-31", "", ""]])
    try:
        imports.tasks_import(file=f, scope=scope_for(world.users["admin_a"]), org=world.branch_a, filename=f.name)
    except imports.ImportFailed as failure:
        assert failure.errors[0].column == "责任单位编码"
    else:
        raise AssertionError("imported a unit outside 支部A")
    assert world.client("admin_b").post("/supervision/console/tasks/import/", {"org": "BRA", "file": _xlsx([])}).status_code == 404
