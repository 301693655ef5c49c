import io
import os
import shutil
import subprocess

import pytest
from django.core.management import call_command
from docx import Document
from PIL import Image

from dangshi.core.cnformat import cn_punct
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
    assert _headline_table(doc) == {cn_punct(h["label"]): _fmt(h["value"]) for h in dash["headlines"]}
    assert briefing.figures == {h["key"]: h["value"] for h in dash["headlines"]}
    assert len(doc.inline_shapes) == 2  # the trend and ranking charts
    assert "表扬" in text and "督促" in text
    download = world.client("office").get(f"/reports/console/briefings/{briefing.pk}.docx")
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"


def _tool(name: str) -> str:
    """The path of a system tool the check needs: missing on a dev box skips, missing in CI fails."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the briefing PDF check, but {name} is missing")
        pytest.skip(f"{name} not installed")
    return path


def test_briefing_converts_to_pdf_with_libreoffice_and_shows_chinese(world, fake, media, tmp_path):
    """LibreOffice turns the .docx into a PDF; poppler reads the Chinese text back and renders
    the first page, whose red masthead must be there."""
    soffice, pdftotext, pdftoppm, pdffonts = (_tool(t) for t in ("soffice", "pdftotext", "pdftoppm", "pdffonts"))
    briefing = services.briefing_generate(org=world.root, period=periods.week(WEEK))
    out = tmp_path / "pdf"
    # Its own profile: a second soffice sharing the default one exits at once without converting.
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), briefing.file.path],
                   check=True, timeout=180, capture_output=True)
    pdf = next(out.glob("*.pdf"))
    assert pdf.read_bytes()[:4] == b"%PDF"
    text = subprocess.run([pdftotext, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    text = "".join(text.split())  # lines wrap and spacing differs from the .docx
    for words in ("党史学习教育简报", "第1期", "工作亮点", "本期暂无办公室选编的工作亮点", "宣讲场次", "表扬", "督促"):
        assert words in text, words
    # The Chinese is set in an embedded font that has Chinese glyphs (fontconfig's substitute for
    # the house fonts), not drawn as empty boxes.
    fonts = subprocess.run([pdffonts, str(pdf)], check=True, capture_output=True, text=True).stdout
    cjk = subprocess.run(["fc-list", ":lang=zh", "family"], check=True, capture_output=True, text=True).stdout
    families = {name.replace(" ", "") for line in cjk.splitlines() for name in line.split(",") if name.isascii()}
    assert any(family and family in fonts for family in families), (families, fonts)
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True)
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    top = page.crop((0, 0, page.width, page.height // 4))
    rgb = top.tobytes()
    reds = sum(1 for i in range(0, len(rgb), 3) if rgb[i] > 150 and rgb[i + 1] < 80 and rgb[i + 2] < 80)
    assert reds > 200, "the red masthead is not on the rendered first page"


def test_briefings_are_a_numbered_series_and_regenerating_keeps_the_number(world, fake, media):
    first = services.briefing_generate(org=world.root, period=periods.week("2021-W22"))
    second = services.briefing_generate(org=world.root, period=periods.week(WEEK))
    again = services.briefing_generate(org=world.root, period=periods.week("2021-W22"))
    monthly = services.briefing_generate(org=world.root, period=periods.month("2021-06"))
    assert (first.number, second.number, again.number, again.pk, monthly.number) == (1, 2, 1, first.pk, 1)
    assert "第 2 期" in "\n".join(p.text for p in _doc(second).paragraphs)


def test_units_to_praise_and_to_urge(world, fake, media):
    text = "\n".join(p.text for p in _doc(services.briefing_generate(org=world.root, period=periods.week(WEEK))).paragraphs)
    assert "表扬：中共第二街道工作委员会" in text and "督促：中共测试街道工作委员会" in text  # full-width colons


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
