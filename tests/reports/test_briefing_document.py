"""The weekly briefing and the monthly summary as an office sends them up: prose, 存在问题 and
下步打算, tables whose header rows repeat, 公文 page numbers, full-width punctuation, one source
for every figure; the draft stage (edit, issue, archive)."""

import io
import os
import re

import pytest
from docx import Document
from docx.oxml.ns import qn

from dangshi.core.cnformat import HALF_BETWEEN_CJK
from dangshi.errors import Conflict, Invalid
from dangshi.orgs.scope import scope_for
from dangshi.reports import pdf, periods, prose, services
from dangshi.reports.models import Briefing
from tests.reports.conftest import WEEK


def _doc(briefing) -> Document:
    with briefing.file.open("rb") as fh:
        return Document(io.BytesIO(fh.read()))


def _section(doc, heading: str) -> list[str]:
    """The paragraphs under a numbered heading (一、总体情况), up to the next heading."""
    texts = [p.text for p in doc.paragraphs]
    start = next(i for i, t in enumerate(texts) if re.match(rf"^[一二三四五六七八九十]+、{heading}$", t))
    out = []
    for t in texts[start + 1:]:
        if re.match(r"^[一二三四五六七八九十]+、", t):
            break
        if t:
            out.append(t)
    return out


@pytest.fixture
def weekly(world, fake, media):
    return services.briefing_generate(org=world.root, period=periods.week(WEEK))


@pytest.fixture
def monthly(world, fake, media):
    return services.briefing_generate(org=world.root, period=periods.month("2021-06"))


def test_overview_is_prose_with_the_change_on_last_week(weekly):
    overview = _section(_doc(weekly), "总体情况")
    assert overview and all(p.endswith("。") for p in overview)
    text = "".join(overview)
    sentences = [s for s in text.split("。") if s]
    assert len(sentences) >= 2
    assert "本周，中共测试区委员会开展宣讲6场次，较上周减少1场次" in text
    # Last week had no answers: its rate is no comparison (not "up 78 points on 0%").
    assert "答题正确率78%。" in text or "答题正确率78%；" in text
    # Not a metric dump: no run of "label figure、label figure".
    assert not re.search(r"[\u4e00-\u9fff]+\d[\d,.]*、[\u4e00-\u9fff]+\d", text)


def test_figures_in_the_prose_equal_the_dashboard_and_the_table(world, weekly):
    doc = _doc(weekly)
    overview = "".join(_section(doc, "总体情况"))
    dash = world.client("office").get(f"/api/v1/reports/dashboard?period={WEEK}").json()
    table = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows[1:]}
    for h in dash["headlines"]:
        if not h["value"]:
            continue
        figure = prose.number(h["value"])
        assert table[prose.cn_punct(h["label"])] == figure, h
        assert figure in overview, (h, overview)
    assert weekly.figures == {h["key"]: h["value"] for h in dash["headlines"]}


def test_monthly_summary_has_problems_plans_and_this_last_change(monthly):
    doc = _doc(monthly)
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["指标", "本月", "上月", "增减"]
    assert "较上月" in "".join(_section(doc, "总体情况"))
    problems, plans = _section(doc, "存在问题"), _section(doc, "下步打算")
    assert any("中共测试街道工作委员会" in p for p in problems)  # the unit at the bottom, by name
    assert any("督促指导" in p for p in plans)


def test_problems_name_the_overdue_tasks_and_plans_follow_them(world, fake, media):
    from datetime import date

    from dangshi.supervision.models import Task

    Task.objects.create(org=world.root, title="建立实事项目台账", starts_on=date(2021, 5, 1), due_on=date(2021, 6, 1))
    doc = _doc(services.briefing_generate(org=world.root, period=periods.week(WEEK)))
    assert any("建立实事项目台账" in p and "逾期" in p for p in _section(doc, "存在问题"))
    assert any("建立实事项目台账" in p for p in _section(doc, "下步打算"))


def test_every_table_header_row_repeats_and_figures_are_right_aligned(weekly, monthly):
    for briefing in (weekly, monthly):
        doc = _doc(briefing)
        assert len(doc.tables) >= 2
        for table in doc.tables:
            header = table.rows[0]._tr
            assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
            for row in table.rows[1:]:
                first = row.cells[0]._tc.tcPr
                assert first is not None and first.find(qn("w:noWrap")) is not None  # names unbroken
                for cell in row.cells[1:]:
                    assert cell.paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT


def test_wide_tables_are_split_so_no_table_is_squeezed(weekly):
    assert all(len(t.columns) <= 1 + 6 for t in _doc(weekly).tables[1:])


def test_page_numbers_are_page_fields_between_dashes_odd_right_even_left(weekly):
    doc = _doc(weekly)
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):
        p = footer.paragraphs[0]
        assert p.alignment == align and p.text.startswith("— ") and p.text.endswith(" —")
        xml = p._p.xml
        assert "w:fldChar" in xml and "PAGE" in xml


def test_generated_text_has_full_width_punctuation_and_dates_without_leading_zeros(weekly, monthly):
    for briefing in (weekly, monthly):
        doc = _doc(briefing)
        texts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
        for text in texts:
            assert not HALF_BETWEEN_CJK.search(text), text
            assert not re.search(r"年0\d月|月0\d日", text), text
        whole = "\n".join(texts)
        assert "签发：" in whole and "生成时间：" in whole
    assert "2021年第23周（6月7日至6月13日）工作情况" in "\n".join(p.text for p in _doc(weekly).paragraphs)


def test_regenerating_sets_the_generation_time_anew(world, fake, media, weekly):
    first = weekly.generated_at
    again = services.briefing_generate(org=world.root, period=periods.week(WEEK))
    assert again.pk == weekly.pk and again.generated_at > first


def test_empty_or_malformed_periods_say_what_to_choose(world, fake, media):
    with pytest.raises(Invalid, match="该周没有数据"):
        services.briefing_generate(org=world.root, period=periods.week("2020-W10"))
    with pytest.raises(Invalid, match="该月没有数据"):
        services.briefing_generate(org=world.root, period=periods.month("2020-03"))
    with pytest.raises(Invalid, match="请选择周或月份"):
        periods.parse("")
    with pytest.raises(Invalid, match="请选择月份"):
        periods.parse("2021-13")
    response = world.client("office").post("/reports/console/briefings/", {"org": "ROOT", "period": ""}, follow=True)
    assert "请选择周或月份" in response.content.decode() and "2021-06" not in response.content.decode().split("请选择")[1][:30]


def test_office_edits_the_draft_then_issues_it_and_the_issue_is_frozen(world, weekly):
    client = world.client("office")
    url = f"/reports/console/briefings/{weekly.pk}/"
    assert "总体情况" in client.get(url).content.decode()
    edited = {"overview": "本周全区宣讲工作稳步推进。\n\n各单位按计划开展学习。", "problems": "个别单位报送不及时。",
              "plans": "下周继续抓好宣讲。", "signer": ""}
    assert client.post(url, {**edited, "action": "save"}).status_code == 302
    weekly.refresh_from_db()
    assert weekly.texts["overview"] == ["本周全区宣讲工作稳步推进。", "各单位按计划开展学习。"]
    assert _section(_doc(weekly), "总体情况")[:2] == weekly.texts["overview"]
    assert _section(_doc(weekly), "存在问题") == ["个别单位报送不及时。"]
    refused = client.post(url, {**edited, "action": "issue"})
    assert refused.status_code == 422 and "签发人" in refused.content.decode()
    client.post(url, {**edited, "signer": "张三", "action": "save"})
    assert client.post(url, {**edited, "signer": "张三", "action": "issue"}).status_code == 302
    weekly.refresh_from_db()
    assert weekly.status == "issued" and weekly.issued_at and weekly.issued_by == world.users["office"]
    assert "签发：张三" in "\n".join(p.text for p in _doc(weekly).paragraphs)
    with pytest.raises(Conflict):
        services.briefing_generate(org=world.root, period=periods.week(WEEK))
    with pytest.raises(Conflict):
        services.briefing_edit(scope=scope_for(world.users["office"]), briefing=weekly, texts=edited, signer="李四")
    if pdf.soffice():
        assert weekly.pdf and client.get(f"/reports/console/briefings/{weekly.pk}.pdf").status_code == 200


def test_outsiders_cannot_reach_a_draft_or_its_pdf(world, fake, media):
    briefing = services.briefing_generate(org=world.branch_a, period=periods.week(WEEK))
    for persona in ("admin_b", "member_a", "outsider"):
        client = world.client(persona)
        assert client.get(f"/reports/console/briefings/{briefing.pk}/").status_code == 404, persona
        assert client.post(f"/reports/console/briefings/{briefing.pk}/", {"action": "issue"}).status_code == 404
        assert client.get(f"/reports/console/briefings/{briefing.pk}.pdf").status_code == 404
    assert Briefing.objects.get(pk=briefing.pk).status == "draft"


def test_quarterly_review_summary_in_the_same_frame(world, fake, media):
    briefing = services.briefing_generate(org=world.root, period=periods.parse("2021-Q2"))
    doc = _doc(briefing)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "党史学习教育“季季评”工作小结" in text and "2021年第二季度工作情况" in text
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["指标", "本季度", "上季度", "增减"]
    assert "开展宣讲18场次，较上季度增加18场次" in "".join(_section(doc, "总体情况"))  # 5 in May, 13 in June
    assert _section(doc, "存在问题") and _section(doc, "下步打算")
    assert (briefing.kind, briefing.period, briefing.number) == ("qtr", "2021-Q2", 1)


def test_libreoffice_converts_the_weekly_briefing_and_the_monthly_summary_to_pdf(weekly, monthly):
    if pdf.soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PDF conversion, but soffice is missing")
        pytest.skip("soffice not installed")
    for briefing in (weekly, monthly):
        with briefing.file.open("rb") as fh:
            data = pdf.docx_to_pdf(fh.read())
        assert data is not None and data[:4] == b"%PDF"


def test_text_with_characters_xml_cannot_hold_still_makes_a_document():
    """Found by the API fuzzer: a task title typed with a control character reached the briefing
    and python-docx refused it (a 500). Such characters are dropped on the way in."""
    from dangshi.reports.document import _xml_safe

    cleaned = _xml_safe({"texts": {"problems": ["逾期任务\x00：调研\x1f报告"]}, "number": 3, "rows": [("a\x0b", 1)]})
    assert cleaned == {"texts": {"problems": ["逾期任务：调研报告"]}, "number": 3, "rows": [("a", 1)]}
