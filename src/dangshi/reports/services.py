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
from dangshi.errors import Conflict
from dangshi.orgs.scope import Scope
from dangshi.reports import candidates, document, engine, selectors
from dangshi.reports.models import Briefing, BriefingSeries, Highlight, HighlightPhoto, RollupBuild
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
    """Produce (or reproduce) the briefing of `org` for `period`. A new period takes the
    next number of the org's series; regenerating a period keeps its number.

    The document (seconds of work) is rendered before any lock is taken; the org's series
    row (BriefingSeries, a reports row: the org row belongs to orgs) is then locked only to
    number and save it. The org row itself is never locked: a lock on it would wait for every
    transaction that inserted rows referencing the org (their foreign-key checks hold FOR KEY
    SHARE), and a pre-aggregation's commit checks ~800,000 such rows, one of them the root:
    the briefing then waited for it (docs/perf/reports.md)."""
    today = today or timezone.localdate()
    number = _series_slot(org, period).number
    data = selectors.briefing_data(org=org, period=period, number=number, today=today)
    content = document.render(data=data)
    # The series row exists before the transaction that locks it (created at most once: the
    # OneToOne key makes a concurrent creator read the winner's row).
    series, _created = BriefingSeries.objects.get_or_create(org=org)
    with transaction.atomic():
        # Two concurrent generations for new periods of this org would otherwise both read the
        # same Max(number) and collide on briefing_number_unique: the lock makes them take turns.
        BriefingSeries.objects.select_for_update(no_key=True).filter(pk=series.pk).first()
        briefing = _series_slot(org, period)
        if briefing.number != number:  # another period took the number meanwhile: print the right one
            data["number"] = briefing.number
            content = document.render(data=data)
        briefing.figures = {row["key"]: row["value"] for row in data["headlines"]}
        briefing.created_by = actor if getattr(actor, "pk", None) else None
        if briefing.file:
            old = briefing.file.name
            transaction.on_commit(lambda: default_storage.delete(old))  # only once the new one is saved
        briefing.file.save(f"{org.code}-{period.key}.docx", ContentFile(content), save=False)
        briefing.save()
        log_event("reports.briefing.generated", actor=actor, obj=briefing,
                  data={"period": period.key, "kind": period.kind, "number": briefing.number})
    return briefing


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


def highlight_pick(*, scope: Scope, source: str, source_id: int, actor=None) -> Highlight:
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


def highlight_unpick(*, scope: Scope, highlight_id: int, actor=None) -> None:
    h = selectors.highlight_or_404(scope=scope, highlight_id=highlight_id)
    with transaction.atomic():
        log_event("reports.highlight.unpicked", actor=actor, obj=h, org=h.org,
                  data={"source": h.source, "source_id": h.source_id, "title": h.title})
        names = [photo.image.name for photo in h.photos.all()]
        h.delete()
        # The files go only once the rows are gone for good.
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def highlight_move(*, scope: Scope, highlight_id: int, org: Org, period: Period, up: bool, actor=None) -> None:
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
