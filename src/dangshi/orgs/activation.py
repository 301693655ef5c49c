"""The activation sheet a branch prints or sends for its members: per member, a one-time
link and its QR code (valid 14 days), as PDF cards or as CSV rows (issue 14)."""

import io
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from dangshi.core.cnformat import cn_date
from dangshi.core.pdf import cjk_font, draw_qr
from dangshi.core.sheets import csv_bytes


@dataclass(frozen=True)
class SheetRow:
    name: str
    org: str
    url: str
    expires: datetime


def activation_url(key: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:activate", args=[key])


def sheet_pdf(rows: list[SheetRow], *, title: str) -> bytes:
    """Ten cards a page (2 × 5), each with the member's name, branch, QR code, link and expiry:
    cut apart and hand out, or send the page."""
    font, out = cjk_font(), io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    width, height = A4
    card_w, card_h, margin = (width - 60) / 2, (height - 90) / 5, 30
    for i, row in enumerate(rows):
        if i and i % 10 == 0:
            pdf.showPage()
        if i % 10 == 0:
            pdf.setFont(font, 12)
            pdf.drawString(margin, height - 32, title)
        col, line = i % 2, (i % 10) // 2
        x, y = margin + col * card_w, height - 50 - (line + 1) * card_h
        pdf.setLineWidth(0.3)
        pdf.setDash(3, 3)
        pdf.rect(x, y, card_w, card_h)
        pdf.setDash()
        draw_qr(pdf, row.url, x=x + 8, y=y + 10, size=card_h - 20)
        tx = x + card_h
        pdf.setFont(font, 14)
        pdf.drawString(tx, y + card_h - 28, row.name)
        pdf.setFont(font, 9)
        pdf.drawString(tx, y + card_h - 44, row.org[:22])
        pdf.drawString(tx, y + card_h - 62, _("微信扫码或打开链接，设置密码后即可登录。"))
        pdf.drawString(tx, y + card_h - 76, _("有效期至 %(d)s，仅可使用一次。") % {
            "d": cn_date(timezone.localtime(row.expires).date())})
        pdf.setFont(font, 6.5)
        pdf.drawString(tx, y + 14, row.url)
    if not rows:
        pdf.setFont(font, 12)
        pdf.drawString(margin, height - 60, _("该组织没有待激活的党员。"))
    pdf.save()
    return out.getvalue()


def sheet_csv(rows: list[SheetRow]) -> bytes:
    return csv_bytes([_("姓名"), _("所在组织"), _("激活链接"), _("有效期至")],
                     ([row.name, row.org, row.url, f"{timezone.localtime(row.expires):%Y-%m-%d %H:%M}"] for row in rows))
