"""The briefing (简报) and monthly summary (小结) as a Word document, in the house style
of a government briefing: red masthead, issue number, organiser and date over a red
rule; headline figures; highlights; a table per module; charts; units praised and urged;
the distribution line at the foot."""

import io
import re
from collections import OrderedDict

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from dangshi.reports import charts, prose

RED = RGBColor(0xC8, 0x16, 0x1D)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
KAITI_FONT = "楷体_GB2312"
CN_NUMBERS = "一二三四五六七八九十"


def _font(run, name: str, size: float, *, bold=False, color=None):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def _para(doc, text="", *, font=BODY_FONT, size=16, bold=False, color=None, align=None, indent=True):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent and align is None:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_after = Pt(2)
    if text:
        _font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(doc):
    p = doc.add_paragraph()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "C8161D")):
        bottom.set(qn(k), v)
    border.append(bottom)
    p._p.get_or_add_pPr().append(border)


def _cn(n: int) -> str:
    """1..99 in Chinese numerals, as headings are numbered: 一, 十, 十一, 二十三."""
    tens, ones = divmod(n, 10)
    head = ("" if tens < 2 else CN_NUMBERS[tens - 1]) + ("十" if tens else "")
    return head + (CN_NUMBERS[ones - 1] if ones else "")


def _heading(doc, n: int, text: str):
    _para(doc, f"{CN_NUMBERS[n]}、{text}", font=HEADING_FONT, size=16).paragraph_format.keep_with_next = True


def _fmt(value) -> str:
    return prose.number(value)


TABLE_FONT_PT = 10.5
METRIC_COLUMNS = 6  # more metric columns than this and a table is split (组织 repeated) so names stay whole
TEXT_WIDTH_CM = 15.6  # 版心 156 mm (GB/T 9704-2012 5.2.1)
CHAR_CM = 0.4  # one Chinese character at 10.5 pt, with the cell's spacing
NAME_MAX_CM, FIGURE_MIN_CM = 8.0, 1.7


def _name_width(names: list[str]) -> float:
    """The first column's width: its longest name on one line, up to NAME_MAX_CM."""
    longest = max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(n)) for n in names), default=4)
    return min(NAME_MAX_CM, max(3.0, longest / 2 * CHAR_CM + 0.4))


def _fix_widths(table, first_cm: float) -> None:
    """Fixed column widths (the name column first, the figures sharing the rest): left to
    autofit, LibreOffice and Word give every column the same width and break the names."""
    table.autofit = False
    n = len(table.columns)
    rest = (TEXT_WIDTH_CM - first_cm) / max(1, n - 1)
    widths = [first_cm, *([rest] * (n - 1))]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice lays out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _cell_props(cell, *, nowrap=False):
    tc_pr = cell._tc.get_or_add_tcPr()
    if nowrap:
        tc_pr.append(OxmlElement("w:noWrap"))
    return tc_pr


def _repeat_header(row):
    """The row is the table's header: Word and LibreOffice repeat it on every page the table spans."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)


def _table(doc, headers: list[str], rows: list[list]):
    """A compact table: header row repeated on every page, names kept on one line, figures right-aligned."""
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(t.rows[0])
    for cell, h in zip(t.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(prose.cn_punct(str(h))), HEADING_FONT, TABLE_FONT_PT)
    for row in rows:
        tr = t.add_row()
        tr_pr = tr._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        for i, (cell, v) in enumerate(zip(tr.cells, row, strict=True)):
            cell.text = ""
            para = cell.paragraphs[0]
            if isinstance(v, str) and v != "—":
                _cell_props(cell, nowrap=i == 0)
            else:  # a figure, or the dash standing for none
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(para.add_run(prose.cn_punct(v) if isinstance(v, str) else _fmt(v)), BODY_FONT, TABLE_FONT_PT)
    _fix_widths(t, _name_width([r[0] for r in rows]))
    return t


def _split_tables(doc, headers: list[str], rows: list[list], *, title: str):
    """A wide table as several tables of at most METRIC_COLUMNS figures, each repeating the first column."""
    metrics = len(headers) - 1
    fits = int((TEXT_WIDTH_CM - _name_width([r[0] for r in rows])) // FIGURE_MIN_CM)
    per_table = max(2, min(METRIC_COLUMNS, fits))
    chunks = range(0, metrics, per_table) if metrics > per_table else [0]
    for n, start in enumerate(chunks):
        stop = start + (per_table if metrics > per_table else metrics)
        label = prose.cn_punct(title if n == 0 else _("%(t)s（续）") % {"t": title})
        _para(doc, label, font=HEADING_FONT, size=14, indent=False).paragraph_format.keep_with_next = True
        _table(doc, [headers[0], *headers[1 + start:1 + stop]], [[r[0], *r[1 + start:1 + stop]] for r in rows])


def _page_number_field(paragraph):
    """"— PAGE —" with a real PAGE field, in 4号 (14 pt) 宋体 (GB/T 9704-2012 7.5)."""
    def run(text=None, *, field=None):
        r = paragraph.add_run(text or "")
        _font(r, "宋体", 14)
        if field is not None:
            el = OxmlElement("w:fldChar") if field != "instr" else OxmlElement("w:instrText")
            if field == "instr":
                el.set(qn("xml:space"), "preserve")
                el.text = " PAGE "
            else:
                el.set(qn("w:fldCharType"), field)
            r._r.append(el)
        return r

    run("— ")
    run(field="begin")
    run(field="instr")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")


def _page_numbers(doc, section):
    """Odd pages' number on the right, even pages' on the left, one character in from the edge (7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = align
        setattr(p.paragraph_format, f"{side}_indent", Pt(14))
        _page_number_field(p)


def _photos(doc, photos: list[bytes]):
    """A highlight's photos side by side in one centred paragraph (one wide, two or three smaller)."""
    if not photos:
        return
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    width = Cm(12) if len(photos) == 1 else Cm(15.2 / len(photos))
    for data in photos:
        p.add_run().add_picture(io.BytesIO(data), width=width)
        p.add_run(" ")


def _module_of(metric: str, app_names: dict[str, str]) -> str:
    return app_names.get(metric.split(".", 1)[0], metric.split(".", 1)[0])


# Characters XML 1.0 cannot hold (python-docx refuses them): text typed by users (a task's
# title, an edited paragraph) reaches the document, so they are dropped on the way in.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value):
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {k: _xml_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(v) for v in value)
    return value


def render(*, data: dict) -> bytes:
    """`data` is built by services.briefing_data from the dashboard selectors (title, number,
    organiser, date, signer, generated_at, period label, headlines, the figures table, modules,
    children, trend, highlights, praise, urge, app_names) and carries the texts the office may
    have edited: `texts` = {"overview", "problems", "plans"}, each a list of paragraphs."""
    data = _xml_safe(data)
    doc = Document()
    section = doc.sections[0]
    # GB/T 9704-2012 5.2.1: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm.
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _page_numbers(doc, section)
    texts = data["texts"]

    _para(doc, data["title"], font=TITLE_FONT, size=36, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, _("第 %(n)d 期") % {"n": data["number"]}, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    line = _para(doc, indent=False)
    _font(line.add_run(data["organiser"]), BODY_FONT, 14)
    _font(line.add_run("\t\t" + prose.cn_date(data["date"])), BODY_FONT, 14)
    sign = _para(doc, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _font(sign.add_run(_("签发：%(name)s") % {"name": data.get("signer") or "________"}), BODY_FONT, 14)
    _red_rule(doc)
    _para(doc, data["heading"], font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)

    n = 0
    _heading(doc, n, _("总体情况"))
    for paragraph in texts["overview"]:
        _para(doc, paragraph)
    _table(doc, data["headline_headers"], data["headline_rows"])

    n += 1
    _heading(doc, n, _("工作亮点"))
    if not data["highlights"]:
        _para(doc, _("本期暂无办公室选编的工作亮点。"))
    for i, h in enumerate(data["highlights"], 1):
        _para(doc, f"（{_cn(i)}）{h['title']}", font=KAITI_FONT, size=16, bold=True)
        _para(doc, h["text"])
        _photos(doc, h["photos"])

    n += 1
    _heading(doc, n, _("存在问题"))
    for paragraph in texts["problems"]:
        _para(doc, paragraph)

    n += 1
    _heading(doc, n, _("下步打算"))
    for paragraph in texts["plans"]:
        _para(doc, paragraph)

    n += 1
    _heading(doc, n, _("分项统计"))
    modules: OrderedDict[str, list[str]] = OrderedDict()
    for key in data["metrics"]:
        modules.setdefault(_module_of(key, data["app_names"]), []).append(key)
    for module, keys in modules.items():
        headers = [_("组织"), *(data["metrics"][k] for k in keys)]
        rows = [[c["name"], *(c["values"].get(k, 0) for k in keys)] for c in data["children"]]
        rows.append([_("合计"), *(data["totals"].get(k, 0) for k in keys)])
        _split_tables(doc, headers, rows, title=module)

    n += 1
    _heading(doc, n, _("图表"))
    if data["trend"]["series"]:
        doc.add_picture(io.BytesIO(charts.trend_chart(
            _("近%(n)d周工作趋势") % {"n": len(data["trend"]["weeks"])},
            data["trend"]["weeks"], [(s["label"], s["values"]) for s in data["trend"]["series"]],
        )), width=Cm(15))
    ranked = data["children"][:15]
    if ranked:
        doc.add_picture(io.BytesIO(charts.ranking_chart(
            _("下级组织活跃度排名(人均)"), [c["name"] for c in ranked], [c["index"] for c in ranked],
        )), width=Cm(15))

    n += 1
    _heading(doc, n, _("表扬与督促"))
    praise = "、".join(c["name"] for c in data["praise"]) or _("无")
    urge = "、".join(c["name"] for c in data["urge"]) or _("无")
    _para(doc, prose.cn_punct(_("表扬:%(names)s 等单位工作推进有力,人均参与居前。") % {"names": praise}))
    _para(doc, prose.cn_punct(_("督促:%(names)s 等单位进度相对滞后,请抓紧推进。") % {"names": urge}))

    _red_rule(doc)
    _para(doc, prose.cn_punct(_("报送:区委党史学习教育领导小组成员  抄送:各街道党工委、各直属党组织")), size=12, indent=False)
    when = data["generated_at"]
    _para(doc, _("生成时间：%(d)s %(t)s") % {"d": prose.cn_date(when), "t": f"{when:%H:%M}"}, size=12, indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
