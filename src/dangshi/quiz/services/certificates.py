"""Top-N selection at season close and the PDF certificates (reportlab, with a QR code that
points at the public /verify/<serial> page)."""

import io
import secrets
import zipfile

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from dangshi.audit.services import log_event
from dangshi.core.cnformat import cn_date
from dangshi.core.pdf import cjk_font
from dangshi.errors import Conflict
from dangshi.quiz.models import Certificate, Contest, ContestKind, FlagStatus, ReviewFlag, SnapshotRow
from dangshi.quiz.services.ranking import snapshot_rebuild

_SERIAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def certificate_serial(contest: Contest) -> str:
    return f"{contest.starts_on:%Y}{contest.pk:03d}" + "".join(secrets.choice(_SERIAL_ALPHABET) for _ in range(8))


def selection_make(*, contest: Contest, actor=None, now=None) -> list[Certificate]:
    """Freeze the season ranking and issue certificates to the top N, skipping members whose
    review flag is open or who were excluded on review."""
    now = now or timezone.now()
    if contest.certificates.exists():
        raise Conflict(_("本竞赛已完成评选,证书已发放。"))
    snap = snapshot_rebuild(contest=contest, day=min(timezone.localdate(now), contest.ends_on), frozen=True,
                            actor=actor)
    held = set(ReviewFlag.objects.filter(contest=contest, status__in=[FlagStatus.OPEN, FlagStatus.EXCLUDED])
               .values_list("member_id", flat=True))
    chosen = []
    for row in SnapshotRow.objects.filter(snapshot=snap).order_by("rank").iterator(chunk_size=500):
        if row.member_id in held:
            continue
        chosen.append(row)
        if len(chosen) >= contest.top_n:
            break
    with transaction.atomic():
        certificates = Certificate.objects.bulk_create(
            Certificate(contest=contest, snapshot=snap, member_id=row.member_id, org_id=row.org_id,
                        serial=certificate_serial(contest), rank=place, issued_at=now)
            for place, row in enumerate(chosen, start=1)
        )
        log_event("quiz.selection.made", actor=actor, obj=contest,
                  data={"snapshot": snap.pk, "certificates": len(certificates), "skipped": len(held)})
    return certificates


# -- the PDF --------------------------------------------------------------------------




def verify_url(serial: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("quiz_verify", args=[serial])


def certificate_pdf(certificate: Certificate) -> bytes:
    font = cjk_font()
    contest, member, org = certificate.contest, certificate.member, certificate.org
    width, height = landscape(A4)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(width, height))
    pdf.setTitle(f"{certificate.title} {certificate.serial}")
    red = HexColor("#B71C1C")
    pdf.setStrokeColor(red)
    pdf.setLineWidth(6)
    pdf.rect(24, 24, width - 48, height - 48)
    pdf.setLineWidth(1.5)
    pdf.rect(36, 36, width - 72, height - 72)
    pdf.setFillColor(red)
    pdf.setFont(font, 40)
    pdf.drawCentredString(width / 2, height - 120, _("荣誉证书"))
    pdf.setFillColor(HexColor("#222222"))
    pdf.setFont(font, 20)
    pdf.drawString(110, height - 190, f"{member.name} 同志:")
    pdf.setFont(font, 16)
    lines = [
        _("您在“%(campaign)s”%(contest)s中,") % {"campaign": contest.campaign.name, "contest": contest.title},
        (_("在现场知识竞赛中,所在队伍获第 %(rank)d 名,") if contest.kind == ContestKind.LIVE
         else _("综合答题准确率和参与频次,位列第 %(rank)d 名,")) % {"rank": certificate.rank},
        _("被评为“%(title)s”。特发此证,以资鼓励。") % {"title": certificate.title},
    ]
    for i, line in enumerate(lines):
        pdf.drawString(140, height - 240 - i * 34, line)
    pdf.setFont(font, 14)
    pdf.drawString(110, 110, _("所在组织:%(org)s") % {"org": org.name})
    pdf.drawString(110, 86, _("证书编号:%(serial)s") % {"serial": certificate.serial})
    pdf.drawRightString(width - 200, 110, contest.org.name)
    pdf.drawRightString(width - 200, 86, cn_date(timezone.localtime(certificate.issued_at).date()))
    qr = QrCodeWidget(verify_url(certificate.serial))
    x0, y0, x1, y1 = qr.getBounds()
    size = 110
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, width - 170, 60)
    pdf.setFont(font, 9)
    pdf.drawCentredString(width - 115, 52, _("扫码核验"))
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def certificates_zip(*, contest: Contest, certificates, actor=None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for cert in certificates:
            archive.writestr(f"{cert.rank:03d}-{cert.serial}.pdf", certificate_pdf(cert))
    log_event("quiz.certificates.downloaded", actor=actor, obj=contest, data={"count": len(certificates)})
    return out.getvalue()
