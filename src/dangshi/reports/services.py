"""Writes of the reports app: briefings (numbered series), highlights picked from activity
reports, pre-aggregation."""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core.images import UNREADABLE, open_image
from dangshi.errors import Conflict, Invalid
from dangshi.reports import candidates, document, engine, pdf, periods, selectors
from dangshi.reports.models import (
    Briefing,
    BriefingSeries,
    BriefingStatus,
    Highlight,
    HighlightPhoto,
    RollupBuild,
)
from dangshi.reports.periods import Period

if TYPE_CHECKING:
    from dangshi.orgs.models import Org


def _series_slot(org: Org, period: Period) -> Briefing:
    """The period's briefing if it exists (regenerating keeps its number), else a new one
    taking the next number of the org's series."""
    briefing = Briefing.objects.filter(org=org, kind=period.kind, period=period.key).first()
    if briefing is None:
        last = Briefing.objects.filter(org=org, kind=period.kind).aggregate(n=Max("number"))["n"] or 0
        briefing = Briefing(org=org, kind=period.kind, period=period.key, start=period.start, end=period.end,
                            number=last + 1)
    return briefing


def briefing_generate(*, org: Org, period: Period, actor=None, today: date | None = None) -> Briefing:
    """Produce (or reproduce) the draft briefing of `org` for `period`. A new period takes the
    next number of the org's series; regenerating a draft keeps its number, sets 生成时间 anew
    and writes the texts afresh from the figures; an issued briefing is never regenerated.

    The document (seconds of work) is rendered before any lock is taken; the org's series
    row (BriefingSeries, a reports row: the org row belongs to orgs) is then locked only to
    number and save it. The org row itself is never locked: a lock on it would wait for every
    transaction that inserted rows referencing the org (their foreign-key checks hold FOR KEY
    SHARE), and a pre-aggregation's commit checks ~800,000 such rows, one of them the root:
    the briefing then waited for it (docs/perf/reports.md)."""
    today = today or timezone.localdate()
    slot = _series_slot(org, period)
    if slot.status == BriefingStatus.ISSUED:
        raise Conflict(_("该期已签发,不能重新生成。"))
    number = slot.number
    data = selectors.briefing_data(org=org, period=period, number=number, today=today, signer=slot.signer)
    content = document.render(data=data)
    # The series row exists before the transaction that locks it (created at most once: the
    # OneToOne key makes a concurrent creator read the winner's row).
    series, _created = BriefingSeries.objects.get_or_create(org=org)
    with transaction.atomic():
        # Two concurrent generations for new periods of this org would otherwise both read the
        # same Max(number) and collide on briefing_number_unique: the lock makes them take turns.
        BriefingSeries.objects.select_for_update(no_key=True).filter(pk=series.pk).first()
        briefing = _series_slot(org, period)
        if briefing.status == BriefingStatus.ISSUED:  # issued meanwhile
            raise Conflict(_("该期已签发,不能重新生成。"))
        if briefing.number != number:  # another period took the number meanwhile: print the right one
            data["number"] = briefing.number
            content = document.render(data=data)
        briefing.figures = {row["key"]: row["value"] for row in data["headlines"]}
        briefing.texts = data["texts"]
        briefing.generated_at = data["generated_at"]
        briefing.created_by = actor if getattr(actor, "pk", None) else None
        _replace_file(briefing, "file", f"{org.code}-{period.key}.docx", content)
        briefing.save()
        log_event("reports.briefing.generated", actor=actor, obj=briefing,
                  data={"period": period.key, "kind": period.kind, "number": briefing.number})
    return briefing


def _replace_file(briefing: Briefing, field: str, name: str, content: bytes) -> None:
    current = getattr(briefing, field)
    if current:
        old = current.name
        transaction.on_commit(lambda: default_storage.delete(old))  # only once the new one is saved
    current.save(name, ContentFile(content), save=False)


TEXT_PARTS = ("overview", "problems", "plans")


def _check_draft(*, scope, briefing: Briefing) -> None:
    scope.require_admin()
    if not scope.reaches(briefing.org):
        raise Http404(_("未找到该简报。"))
    if briefing.status != BriefingStatus.DRAFT:
        raise Conflict(_("该期已签发,不能修改。"))


def _render_again(briefing: Briefing, *, texts: dict, signer: str) -> tuple[dict, bytes]:
    period = periods.parse(briefing.period)
    data = selectors.briefing_data(org=briefing.org, period=period, number=briefing.number,
                         today=timezone.localdate(), signer=signer, texts=texts)
    data["generated_at"] = timezone.localtime(briefing.generated_at or timezone.now())
    return data, document.render(data=data)


def briefing_edit(*, scope, briefing: Briefing, texts: dict[str, str], signer: str, actor=None) -> Briefing:
    """The office's wording of a draft: each part a text whose lines are paragraphs (blank lines
    dropped), and the 签发 name. The document is rendered again with them."""
    _check_draft(scope=scope, briefing=briefing)
    parts = {k: [line.strip() for line in (texts.get(k) or "").splitlines() if line.strip()] for k in TEXT_PARTS}
    empty = [k for k in ("overview",) if not parts[k]]
    if empty:
        raise Invalid(_("总体情况不能为空。"), field="overview")
    signer = signer.strip()[:40]
    _data, content = _render_again(briefing, texts=parts, signer=signer)
    with transaction.atomic():
        # The row lock closes the race with a concurrent issue: an issued briefing stays as issued.
        locked = Briefing.objects.select_for_update().get(pk=briefing.pk)
        if locked.status != BriefingStatus.DRAFT:
            raise Conflict(_("该期已签发,不能修改。"))
        locked.texts, locked.signer = parts, signer
        _replace_file(locked, "file", f"{locked.org.code}-{locked.period}.docx", content)
        locked.save()
        log_event("reports.briefing.edited", actor=actor, obj=locked, data={"period": locked.period, "signer": signer})
    return locked


def briefing_issue(*, scope, briefing: Briefing, actor=None) -> Briefing:
    """Issue a draft: the .docx as last edited is archived with its PDF (LibreOffice, where
    installed); from then on it is neither edited nor regenerated."""
    _check_draft(scope=scope, briefing=briefing)
    if not briefing.signer:
        raise Invalid(_("签发前请填写签发人。"), field="signer")
    with briefing.file.open("rb") as fh:
        content = fh.read()
    pdf_bytes = pdf.docx_to_pdf(content)  # seconds of work: before any lock
    with transaction.atomic():
        locked = Briefing.objects.select_for_update().get(pk=briefing.pk)
        if locked.status != BriefingStatus.DRAFT:
            raise Conflict(_("该期已签发,不能修改。"))
        locked.status, locked.issued_at = BriefingStatus.ISSUED, timezone.now()
        locked.issued_by = actor if getattr(actor, "pk", None) else None
        if pdf_bytes:
            _replace_file(locked, "pdf", f"{locked.org.code}-{locked.period}.pdf", pdf_bytes)
        locked.save()
        log_event("reports.briefing.issued", actor=actor, obj=locked,
                  data={"period": locked.period, "number": locked.number, "pdf": bool(pdf_bytes)})
    return locked


PHOTOS_PER_HIGHLIGHT = 3
PHOTO_MAX_PX = 1600


def _photo_jpeg(file) -> bytes | None:
    """The image re-encoded as a JPEG at most PHOTO_MAX_PX on its longer side, or None if
    the file is not an image Pillow can read (a mislabelled PDF is skipped, not fatal)."""
    from PIL import Image, ImageOps

    try:
        with file.open("rb") as fh, open_image(fh) as img:
            img = ImageOps.exif_transpose(img)
            img.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
            if img.mode != "RGB":
                background = Image.new("RGB", img.size, "white")
                background.paste(img.convert("RGBA"), mask=img.convert("RGBA"))
                img = background
            out = io.BytesIO()
            img.save(out, format="JPEG", quality=85)
            return out.getvalue()
    except UNREADABLE:
        return None


def highlight_pick(*, scope, source: str, source_id: int, actor=None) -> Highlight:
    """Copy an activity report in the actor's reach into the briefing's highlights, with up
    to three of its photos, after the highlights already picked."""
    scope.require_office()
    candidate = candidates.candidate_get(scope=scope, source=source, source_id=source_id)
    if Highlight.objects.filter(source=source, source_id=source_id).exists():
        raise Conflict(_("该报告已选入简报亮点。"))
    photos = [data for f in candidate.photos if (data := _photo_jpeg(f))][:PHOTOS_PER_HIGHLIGHT]
    saved: list[str] = []  # files written before the rows commit: removed again if they do not
    try:
        with transaction.atomic():
            last = Highlight.objects.aggregate(n=Max("position"))["n"] or 0
            h = Highlight.objects.create(source=source, source_id=source_id, org=candidate.org, day=candidate.day,
                                         title=candidate.title[:200], text=candidate.text, position=last + 1,
                                         created_by=actor if getattr(actor, "pk", None) else None)
            for i, data in enumerate(photos):
                photo = HighlightPhoto(highlight=h, position=i)
                photo.image.save(f"{source}-{source_id}-{i + 1}.jpg", ContentFile(data), save=False)
                saved.append(photo.image.name)
                photo.save()
            log_event("reports.highlight.picked", actor=actor, obj=h, org=h.org,
                      data={"source": source, "source_id": source_id, "photos": len(photos)})
    except Exception as exc:
        for name in saved:
            default_storage.delete(name)
        if isinstance(exc, IntegrityError):  # picked by someone else between the check and the insert
            raise Conflict(_("该报告已选入简报亮点。")) from None
        raise
    return h


def highlight_unpick(*, scope, highlight_id: int, actor=None) -> None:
    h = selectors.highlight_or_404(scope=scope, highlight_id=highlight_id)
    with transaction.atomic():
        log_event("reports.highlight.unpicked", actor=actor, obj=h, org=h.org,
                  data={"source": h.source, "source_id": h.source_id, "title": h.title})
        names = [photo.image.name for photo in h.photos.all()]
        h.delete()
        # The files go only once the rows are gone for good.
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def highlight_move(*, scope, highlight_id: int, org: Org, period: Period, up: bool, actor=None) -> None:
    """Swap the highlight with its neighbour in the briefing of `org` for `period` (the list
    the office sees); at either end nothing moves."""
    h = selectors.highlight_or_404(scope=scope, highlight_id=highlight_id)
    with transaction.atomic():
        ordered = list(selectors.highlights(org=org, period=period).select_for_update(of=("self",)))
        ids = [x.pk for x in ordered]
        if h.pk not in ids:
            raise Http404(_("未找到该亮点。"))
        i = ids.index(h.pk)
        j = i - 1 if up else i + 1
        if not 0 <= j < len(ordered):
            return
        a, b = ordered[i], ordered[j]
        # Positions may tie (two picks at once): renumber the whole list, then swap.
        for n, x in enumerate(ordered, 1):
            x.position = n
        a.position, b.position = b.position, a.position
        Highlight.objects.bulk_update(ordered, ["position"])
        log_event("reports.highlight.moved", actor=actor, obj=h, org=h.org,
                  data={"direction": "up" if up else "down", "position": a.position})


def rollup_rebuild(*, period: Period, actor=None) -> RollupBuild:
    build = engine.rollup_rebuild(period=period)
    log_event("reports.rollup.rebuilt", actor=actor, obj=build, data={"period": period.key, "rows": build.rows.count()})
    return build
