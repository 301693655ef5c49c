import io
import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from docx import Document

from dangshi.reports import periods, services
from dangshi.reports.models import Briefing
from tests.reports.conftest import WEEK


def _doc(briefing) -> Document:
    with briefing.file.open("rb") as fh:
        return Document(io.BytesIO(fh.read()))


def _headline_table(doc) -> dict[str, str]:
    table = doc.tables[0]
    return {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}


def _fmt(v):
    if v is None:
        return "—"
    return f"{v:,.1f}" if isinstance(v, float) and not v.is_integer() else f"{int(v):,}"


def test_briefing_docx_reads_back_and_its_figures_equal_the_dashboard(world, fake, media):
    response = world.client("office").post("/api/v1/reports/briefings/", {"org": "ROOT", "period": WEEK},
                                           content_type="application/json")
    assert response.status_code == 201, response.content
    briefing = Briefing.objects.get(pk=response.json()["id"])
    doc = _doc(briefing)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "党史学习教育简报" in text and "第 1 期" in text and "2021年第23周" in text
    assert "中共测试区委员会" in text or "测试区委" in text
    dash = world.client("office").get(f"/api/v1/reports/dashboard?period={WEEK}").json()
    assert _headline_table(doc) == {h["label"]: _fmt(h["value"]) for h in dash["headlines"]}
    assert briefing.figures == {h["key"]: h["value"] for h in dash["headlines"]}
    assert len(doc.inline_shapes) == 2  # the trend and ranking charts
    assert "表扬" in text and "督促" in text
    download = world.client("office").get(f"/reports/console/briefings/{briefing.pk}.docx")
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_briefing_converts_to_pdf_with_libreoffice(world, fake, media, tmp_path):
    briefing = services.briefing_generate(org=world.root, period=periods.week(WEEK))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), briefing.file.path],
                   check=True, timeout=120, capture_output=True)
    assert list(tmp_path.glob("*.pdf"))[0].read_bytes()[:4] == b"%PDF"


def test_briefings_are_a_numbered_series_and_regenerating_keeps_the_number(world, fake, media):
    first = services.briefing_generate(org=world.root, period=periods.week("2021-W22"))
    second = services.briefing_generate(org=world.root, period=periods.week(WEEK))
    again = services.briefing_generate(org=world.root, period=periods.week("2021-W22"))
    monthly = services.briefing_generate(org=world.root, period=periods.month("2021-06"))
    assert (first.number, second.number, again.number, again.pk, monthly.number) == (1, 2, 1, first.pk, 1)
    assert "第 2 期" in "\n".join(p.text for p in _doc(second).paragraphs)


def test_highlights_chosen_by_the_office_appear_with_units_to_praise_and_urge(world, fake, media):
    services.highlight_create(org=world.branch_c, day=date(2021, 6, 9), title="机关党支部开展红色宣讲",
                              text="组织党员走进社区宣讲百年党史。")
    services.highlight_create(org=world.branch_a, day=date(2021, 5, 9), title="上月的亮点", text="不在本期。")
    text = "\n".join(p.text for p in _doc(services.briefing_generate(org=world.root, period=periods.week(WEEK))).paragraphs)
    assert "机关党支部开展红色宣讲" in text and "上月的亮点" not in text
    assert "表扬:中共第二街道工作委员会" in text and "督促:中共测试街道工作委员会" in text


def test_monthly_summary_compares_with_the_previous_month(world, fake, media):
    briefing = services.briefing_generate(org=world.root, period=periods.month("2021-06"))
    doc = _doc(briefing)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["指标", "本月", "上月", "增减"]
    sessions = next(r for r in table.rows if r.cells[0].text == "宣讲场次")
    assert [c.text for c in sessions.cells[1:]] == ["13", "5", "8"]  # June 13 (incl. 06-01), May 5


def test_briefing_command_writes_the_docx(world, fake, media):
    out = io.StringIO()
    call_command("briefing", week=WEEK, org="ST1", stdout=out)
    briefing = Briefing.objects.get(org=world.street, period=WEEK)
    assert "第 1 期" in out.getvalue()
    assert _headline_table(_doc(briefing))["宣讲场次"] == "3"


def test_console_button_generates_and_lists_the_briefing(world, fake, media):
    client = world.client("office")
    response = client.post("/reports/console/briefings/", {"org": "ROOT", "period": WEEK})
    assert response.status_code == 302
    assert Briefing.objects.filter(org=world.root, period=WEEK, number=1).exists()
    assert "第 1 期" in client.get("/reports/console/briefings/?org=ROOT").content.decode()


def test_out_of_scope_briefing_requests_are_refused(world, fake, media):
    response = world.client("admin_b").post("/api/v1/reports/briefings/", {"org": "BRA", "period": WEEK},
                                            content_type="application/json")
    assert response.status_code == 404
    assert world.client("admin_b").post("/reports/console/briefings/", {"org": "BRA", "period": WEEK}).status_code == 404
    assert not Briefing.objects.exists()


def test_schedule_briefings_enqueues_the_weeks_work_for_the_worker(world, fake, media, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    call_command("schedule-briefings", today="2021-06-14", stdout=io.StringIO())
    briefing = Briefing.objects.get(org=world.root, kind="week")
    assert (briefing.period, briefing.number) == (WEEK, 1)
    assert briefing.figures["outreach.sessions"] == 6


def test_schedule_current_pre_aggregates_this_week_and_month(world, fake, settings):
    from dangshi.reports.models import RollupBuild

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    call_command("schedule-briefings", today="2021-06-09", current=True, stdout=io.StringIO())
    assert set(RollupBuild.objects.values_list("period", flat=True)) == {WEEK, "2021-06"}
    assert not Briefing.objects.exists()
