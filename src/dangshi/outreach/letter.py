"""The letter of appointment (聘书) as a one-page PDF with Chinese text.

A CJK TrueType font is looked for on the system at runtime (WenQuanYi, Noto CJK, Droid
fallback…) and embedded, so the PDF shows the same on every reader; without one, the
PDF falls back to reportlab's CID font STSong-Light, which the reader must supply."""

import io
import logging
from functools import lru_cache
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from dangshi.core.cnformat import cn_date
from dangshi.outreach.models import Lecturer

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FONT_PATTERNS = ("wqy*.tt[cf]", "NotoSansCJK*.tt[cf]", "NotoSerifCJK*.tt[cf]", "DroidSansFallback*.ttf", "*[Ss]imSun*.tt[cf]")
FALLBACK_CID = "STSong-Light"
logger = logging.getLogger(__name__)


def _find_font_file() -> Path | None:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"):
        if root.is_dir():
            for pattern in FONT_PATTERNS:
                for found in sorted(root.rglob(pattern)):
                    return found
    return None


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register and return the name of a font that draws Chinese."""
    path = _find_font_file()
    if path is not None:
        try:
            pdfmetrics.registerFont(TTFont("DangshiCJK", str(path), subfontIndex=0))
            return "DangshiCJK"
        except Exception:  # noqa: BLE001 - an unreadable font file: use the CID font instead
            logger.warning("CJK font %s unreadable; falling back to %s", path, FALLBACK_CID)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID))
    return FALLBACK_CID


def letter_pdf(lecturer: Lecturer, *, issuer: str, group_name: str = "", font: str | None = None) -> bytes:
    font = font or cjk_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"聘书 {lecturer.letter_no or ''}")
    pdf.setStrokeColorRGB(0.72, 0.11, 0.11)
    pdf.setLineWidth(6)
    pdf.rect(28, 28, width - 56, height - 56)
    pdf.setLineWidth(1.5)
    pdf.rect(40, 40, width - 80, height - 80)
    pdf.setFillColorRGB(0.72, 0.11, 0.11)
    pdf.setFont(font, 48)
    pdf.drawCentredString(width / 2, height - 130, "聘  书")
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(font, 12)
    pdf.drawRightString(width - 80, height - 80, f"编号:{lecturer.letter_no or '(未编号)'}")
    pdf.setFont(font, 20)
    role = f"{group_name}宣讲员" if group_name else "党史学习教育宣讲员"
    lines = [f"兹聘请  {lecturer.name}  同志为{role}。"]
    if lecturer.appointed_on and lecturer.term_ends_on:
        lines.append(f"聘期自 {cn_date(lecturer.appointed_on)} 至 {cn_date(lecturer.term_ends_on)}。")
    if lecturer.specialty:
        lines.append(f"宣讲专长:{lecturer.specialty[:40]}")
    y = height - 220
    for line in lines:
        pdf.drawString(110, y, line)
        y -= 42
    pdf.setFont(font, 18)
    pdf.drawRightString(width - 110, 150, issuer)
    if lecturer.appointed_on:
        pdf.drawRightString(width - 110, 118, cn_date(lecturer.appointed_on))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
