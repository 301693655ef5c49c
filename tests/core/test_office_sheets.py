"""Every spreadsheet dangshi hands out (templates, exports, error reports), opened as an office
would: laid out for reading and printing, identifiers kept as text, nothing that evaluates;
and every import template imports as downloaded once its example row is filled in."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dangshi.core.jobs import import_job_run
from dangshi.core.models import ImportJob
from dangshi.core.sheets import DANGEROUS_PREFIXES
from dangshi.hotline.intake import requests_import
from dangshi.learning.models import LearningColumn
from dangshi.learning.services import imports as learning_imports
from dangshi.orgs import roster
from dangshi.orgs.scope import scope_for
from dangshi.outreach import imports as outreach_imports
from dangshi.outreach import services as outreach_services
from dangshi.quiz.services import bank
from dangshi.redsites import transfer
from dangshi.supervision import imports as supervision_imports
from dangshi.supervision.models import Group
from tests import factories as f

TEXT_HEADERS = re.compile(r"身份证|手机|电话")
TEMPLATES = {
    "roster": ("office", "/orgs/console/import/template.xlsx"),
    "questions": ("office", "/quiz/console/import/template.xlsx"),
    "hotline": ("office", "/hotline/console/import/template.xlsx"),
    "redsites": ("admin_a", "/redsites/console/import/template.xlsx"),
    "sessions": ("admin_a", "/outreach/console/sessions/import/template.xlsx"),
    "tasks": ("office", "/supervision/console/tasks/import/template.xlsx"),
    "learning": ("office", "/learning/console/import/template.xlsx"),
}


def _download(world, persona: str, url: str) -> bytes:
    response = world.client(persona).get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert "filename*=utf-8''" in response["Content-Disposition"]  # a Chinese name, RFC 6266 encoded
    return response.content


def _fill(data: bytes, replace: dict[str, object], name: str = "filled.xlsx") -> SimpleUploadedFile:
    """The template with its example row's cells under the `replace` headers filled in for this world."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    for header, value in replace.items():
        ws.cell(row=2, column=headers.index(header) + 1).value = value
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def _import(kind: str, world, file):
    users, scope = world.users, lambda p: scope_for(world.users[p])
    if kind == "roster":
        return roster.roster_import(file=file, scope=scope("office"), actor=users["office"])
    if kind == "questions":
        return bank.questions_import(file=file, actor=users["office"])
    if kind == "hotline":
        return requests_import(file=file, scope=scope("office"), actor=users["office"]).created
    if kind == "redsites":
        return sum(transfer.sites_import_xlsx(file=file, scope=scope("admin_a"), actor=users["admin_a"]))
    if kind == "sessions":
        return outreach_imports.session_import(file=file, scope=scope("admin_a"), actor=users["admin_a"])
    if kind == "tasks":
        return supervision_imports.tasks_import(file=file, scope=scope("office"), org=world.root, actor=users["office"])
    column, _ = LearningColumn.objects.get_or_create(code="today", defaults={"name": "党史上的今天", "kind": "today"})
    return learning_imports.column_import(scope=scope("office"), actor=users["office"], column=column, org=world.root,
                                          file=file)


FILL = {
    "roster": {"所在组织编码": "BRA"},
    "sessions": {"主办组织编码": "BRA", "覆盖组织编码": "BRA"},
    "hotline": {"承办单位": "BRA"},
}


@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_every_import_template_imports_once_its_example_row_is_filled(world, kind):
    if kind == "sessions":
        for name in ("张三", "李四"):
            outreach_services.lecturer_create(scope=scope_for(world.users["admin_a"]), actor=world.users["admin_a"],
                                              org=world.branch_a, name=name, specialty="百年党史")
    if kind == "tasks":
        Group.objects.create(org=world.root, kind="working", name="实践活动组")
    data = _download(world, *TEMPLATES[kind])
    assert _import(kind, world, _fill(data, FILL.get(kind, {}))) >= 1


@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_every_template_has_instructions_and_example_dates_as_dates(world, kind):
    wb = load_workbook(io.BytesIO(_download(world, *TEMPLATES[kind])))
    assert wb.sheetnames[1] == "填写说明"
    notes = "\n".join(str(r[0]) for r in wb["填写说明"].iter_rows(values_only=True) if r[0])
    data = wb.worksheets[0]
    for cell in data[1]:
        assert f"{cell.value}:" in notes, f"{kind}: the instructions do not explain {cell.value}"
    for header, example in zip(data[1], data[2], strict=False):
        # 开放时间 (a red site's opening hours, "9:00-17:00") is text, not a point in time.
        if str(header.value).endswith(("日期", "时限", "时间")) and header.value != "开放时间" and example.value:
            assert example.is_date, f"{kind}: the example {header.value} is text: {example.value!r}"


def test_fixed_value_columns_have_drop_downs(world):
    wb = load_workbook(io.BytesIO(_download(world, *TEMPLATES["roster"])))
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in wb.worksheets[0].data_validations.dataValidation}
    assert lists["B2"] == '"男,女"' and "普通党员" in lists["G2"]
    hotline = load_workbook(io.BytesIO(_download(world, *TEMPLATES["hotline"]))).worksheets[0]
    assert any("投诉" in dv.formula1 for dv in hotline.data_validations.dataValidation)


def test_new_templates_are_refused_to_outsiders(world):
    for url, allowed in (("/quiz/console/import/template.xlsx", "office"),
                         ("/hotline/console/import/template.xlsx", "office"),
                         ("/redsites/console/import/template.xlsx", "admin_a")):
        assert world.client(allowed).get(url).status_code == 200
        for persona in ("outsider", "member_a"):
            assert world.client(persona).get(url).status_code == 404, (persona, url)
        assert world.client(None).get(url).status_code == 302


# -- every sheet dangshi writes -------------------------------------------------------


def _failed_import_report(world) -> bytes:
    """The roster upload page's error report, for a CSV whose name cell holds a raw formula."""
    csv = ("姓名,性别,出生日期,入党日期,身份证号,手机号,人员类别,所在组织编码\n"
           '"=HYPERLINK(""http://evil.example/"",""点击"")",男,1985-06-01,2010-07-01,110101198506010011,13800001234,普通党员,BRA\n')
    client = world.client("office")
    response = client.post("/orgs/console/import/", {"file": SimpleUploadedFile("名册.csv", csv.encode())})
    assert response.status_code == 302  # queued for the worker (core.jobs); run it here
    token = import_job_run(job_id=ImportJob.objects.latest("pk").pk).report_token
    return client.get(f"/orgs/console/import/report/{token}.xlsx").content


def _every_sheet(world) -> dict[str, bytes]:
    f.member(world.branch_a, '=HYPERLINK("http://evil.example/","点击")', phone="13800009999")
    files = {kind: _download(world, persona, url) for kind, (persona, url) in TEMPLATES.items()}
    column, _ = LearningColumn.objects.get_or_create(code="today", defaults={"name": "党史上的今天", "kind": "today"})
    files |= {
        "roster export": _download(world, "office", "/orgs/console/export/ROOT.xlsx"),
        "question export": _download(world, "office", "/quiz/console/export.xlsx"),
        "site export": _download(world, "admin_a", "/redsites/console/export.xlsx"),
        "statistics": _download(world, "office", "/reports/console/table.xlsx?org=ROOT"),
        "learning export": _download(world, "office", f"/learning/console/export.xlsx?column={column.code}"),
        "error report": _failed_import_report(world),
    }
    return files


def _covered_columns(ws) -> set[int]:
    covered = set()
    for dim in ws.column_dimensions.values():
        if dim.width and dim.customWidth:
            covered.update(range(dim.min, dim.max + 1))
    return covered


def test_every_sheet_is_laid_out_for_reading_and_printing(world):
    for kind, data in _every_sheet(world).items():
        ws = load_workbook(io.BytesIO(data)).worksheets[0]
        headers = [c.value for c in ws[1]]
        assert headers and all(headers), kind
        missing = set(range(1, len(headers) + 1)) - _covered_columns(ws)
        assert not missing, f"{kind}: no width on {[get_column_letter(i) for i in sorted(missing)]}"
        assert all(c.font.b for c in ws[1]), f"{kind}: header not bold"
        assert ws.freeze_panes == "A2", f"{kind}: header not frozen"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), f"{kind}: no autofilter"
        assert ws.print_title_rows == "$1:$1", f"{kind}: header row not repeated on printed pages"
        assert ws.page_setup.fitToWidth == 1 and ws.oddFooter.center.text, f"{kind}: no print setup"
        for i, header in enumerate(headers, 1):
            if TEXT_HEADERS.search(str(header)):
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    assert cell.value is None or (cell.data_type == "s" and cell.number_format == "@"), (
                        f"{kind}: {header} {cell.value!r} is not text")


def test_no_sheet_holds_a_cell_that_a_spreadsheet_would_evaluate(world):
    for kind, data in _every_sheet(world).items():
        for ws in load_workbook(io.BytesIO(data)).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        assert cell.data_type == "s" and not cell.value.startswith(DANGEROUS_PREFIXES), (
                            f"{kind}/{ws.title}!{cell.coordinate}: {cell.value!r}")


def test_a_member_named_as_a_hyperlink_formula_is_exported_as_inert_text(world):
    f.member(world.branch_a, '=HYPERLINK("http://evil.example/","点击")', phone="13800009999")
    ws = load_workbook(io.BytesIO(_download(world, "office", "/orgs/console/export/ROOT.xlsx"))).active
    names = [c for (c,) in ws.iter_rows(min_row=2, max_col=1)]
    (cell,) = [c for c in names if "HYPERLINK" in c.value]
    assert cell.value == '\'=HYPERLINK("http://evil.example/","点击")' and cell.data_type == "s"


def test_an_error_report_echoing_a_raw_formula_cell_neutralises_it(world):
    ws = load_workbook(io.BytesIO(_failed_import_report(world))).active
    assert ws["A2"].value == '\'=HYPERLINK("http://evil.example/","点击")' and ws["A2"].data_type == "s"
    assert ws.cell(row=2, column=ws.max_column).value  # the 错误 column says what was wrong
