"""The A4 check-in poster: the site's name in Chinese, its QR code, a short how-to (in the
requester's language; the CJK font also has the Latin glyphs an English poster needs)."""

import io
from functools import cache
from pathlib import Path

import qrcode
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from dangshi.redsites.models import Site

# Fonts with CJK glyphs found on Debian/Ubuntu hosts, in order of preference.
_CJK_FONTS = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
)


@cache
def cjk_font() -> str:
    """An embedded TrueType CJK font if the system has one; else the PDF's built-in
    CID font STSong-Light (every PDF reader supplies it, nothing is embedded)."""
    for path, index in _CJK_FONTS:
        if Path(path).exists():
            try:
                pdfmetrics.registerFont(TTFont("RedsitesCJK", path, subfontIndex=index))
                return "RedsitesCJK"
            except Exception:  # noqa: BLE001, S112 - an unreadable font file: try the next one
                continue
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _fit(c: canvas.Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 12 and c.stringWidth(text, font, size) > width:
        size -= 2
    return size


def poster_pdf(*, site: Site, checkin_url: str) -> bytes:
    font = cjk_font()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    c.setTitle(_("%(site)s 打卡码") % {"site": site.name})
    c.setFillColorRGB(0.72, 0.11, 0.11)
    c.rect(0, height - 60 * mm, width, 60 * mm, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.setFont(font, 22)
    c.drawCentredString(width / 2, height - 25 * mm, _("红色地标 · 扫码打卡"))
    size = _fit(c, site.name, font, 40, width - 30 * mm)
    c.setFont(font, size)
    c.drawCentredString(width / 2, height - 45 * mm, site.name)

    qr = qrcode.make(checkin_url, border=1).get_image()
    side = 120 * mm
    c.drawImage(ImageReader(qr), (width - side) / 2, height - 75 * mm - side, side, side)

    c.setFillColorRGB(0.12, 0.14, 0.16)
    c.setFont(font, 16)
    y = height - 90 * mm - side
    for line in (
        _("党员:微信扫一扫,登录后点击“打卡”,点亮红色地标、获得学习积分"),
        _("游客:扫码后点击“登记参观”,欢迎前来接受教育"),
        f"{site.get_kind_display()} · {site.get_level_display()}  {site.address}",
        _("开放时间:%(hours)s") % {"hours": site.opening_hours} if site.opening_hours else "",
    ):
        if line:
            c.setFont(font, _fit(c, line, font, 16, width - 30 * mm))
            c.drawCentredString(width / 2, y, line)
            y -= 10 * mm
    c.setFont(font, 10)
    c.setFillColorRGB(0.42, 0.45, 0.5)
    c.drawCentredString(width / 2, 15 * mm, _("%(org)s · 编号 %(code)s") % {"org": site.org.name, "code": site.code})
    c.showPage()
    c.save()
    return out.getvalue()
