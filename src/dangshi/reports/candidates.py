"""Highlight candidates: the activity reports of a period the office may pick for a briefing.

Four kinds of report, each read through its module's scoped selectors: lecture sessions
(with their photos) and activities from `outreach`, progress reports of practical
matters (with their evidence) and confirmed members' deeds from `practical`. A candidate
is a plain record; picking copies it into a `Highlight` (services.highlight_pick).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.core.images import IMAGE_SUFFIXES
from dangshi.orgs.scope import Scope
from dangshi.outreach import selectors as outreach
from dangshi.practical import selectors as practical
from dangshi.reports.models import Highlight, HighlightSource
from dangshi.reports.periods import Period

if TYPE_CHECKING:
    from dangshi.orgs.models import Org

# Per kind: a busy week at the root has hundreds of sessions; the page lists the latest.
LIMIT = 60


@dataclass
class Candidate:
    source: str
    source_id: int
    org: Org
    day: date
    title: str
    text: str
    photos: list = field(default_factory=list)  # FieldFile of each image, in the report's order
    picked: Highlight | None = None

    @property
    def source_label(self) -> str:
        return HighlightSource(self.source).label


def _images(files) -> list:
    return [f for f in files if f and PurePosixPath(f.name).suffix.lower() in IMAGE_SUFFIXES]


def _local_day(moment) -> date:
    return timezone.localtime(moment).date()


def _md(day: date) -> str:
    return _("%(m)d月%(d)d日") % {"m": day.month, "d": day.day}


def _audience(offline: int, online: int) -> str:
    """",参与现场120人次、线上300人次": only the parts there are."""
    parts = []
    if offline:
        parts.append(_("现场%(n)d人次") % {"n": offline})
    if online:
        parts.append(_("线上%(n)d人次") % {"n": online})
    return _(",参与%(parts)s") % {"parts": "、".join(parts)} if parts else ""


def _session(s) -> Candidate:
    day = _local_day(s.starts_at)
    text = _("%(day)s,%(org)s在%(place)s开展宣讲“%(topic)s”%(audience)s。") % {
        "day": _md(day), "org": s.org.name, "place": s.place, "topic": s.topic,
        "audience": _audience(s.audience_offline, s.audience_online)}
    photos = _images(f.file for f in s.files.all() if f.kind == "photo")
    return Candidate(HighlightSource.SESSION, s.pk, s.org, day, s.topic, text, photos)


def _activity(a) -> Candidate:
    day = _local_day(a.starts_at)
    text = _("%(day)s,%(org)s开展%(kind)s“%(title)s”%(place)s%(audience)s。") % {
        "day": _md(day), "org": a.org.name, "kind": a.get_kind_display(), "title": a.title,
        "place": _("(%(p)s)") % {"p": a.place} if a.place else "",
        "audience": _audience(a.audience_offline, a.audience_online)}
    return Candidate(HighlightSource.ACTIVITY, a.pk, a.org, day, a.title, text)


def _progress(matter, report) -> Candidate:
    text = _("%(org)s推进实事“%(title)s”,进度%(percent)d%%:%(note)s") % {
        "org": matter.org.name, "title": matter.title, "percent": report.percent, "note": report.note}
    photos = _images(e.file for e in report.evidence.all())
    return Candidate(HighlightSource.PROGRESS, report.pk, matter.org, report.reported_on, matter.title, text, photos)


def _deed(d) -> Candidate:
    text = _("%(org)s党员%(name)s%(title)s,受益群众%(n)d人。%(description)s") % {
        "org": d.org.name, "name": d.member.name, "title": d.title, "n": d.beneficiaries, "description": d.description}
    return Candidate(HighlightSource.DEED, d.pk, d.org, d.happened_on, d.title, text.strip(), _images([d.evidence]))


def _sessions(scope: Scope, org: Org, start: date, end: date):
    lo, hi = outreach.local_range(start, end)
    qs = outreach.session_list(scope=scope, org=org).filter(starts_at__gte=lo, starts_at__lt=hi)
    return qs.prefetch_related("files")


def _activities(scope: Scope, org: Org, start: date, end: date):
    lo, hi = outreach.local_range(start, end)
    return outreach.activity_list(scope=scope, org=org).filter(starts_at__gte=lo, starts_at__lt=hi)


def _matters(scope: Scope, org: Org, start: date, end: date):
    """Matters in reach under `org` with a progress report in the period, their reports and evidence."""
    return (practical.matters_in_scope(scope=scope)
            .filter(org__path__startswith=org.path, reports__reported_on__gte=start, reports__reported_on__lte=end)
            .distinct().select_related("org").prefetch_related("reports__evidence").order_by("-id"))


def _deeds(scope: Scope, org: Org, start: date, end: date):
    return practical.deeds_in_scope(scope=scope, status="confirmed").filter(
        org__path__startswith=org.path, happened_on__gte=start, happened_on__lte=end)


def candidate_list(*, scope: Scope, org: Org, period: Period, source: str = "") -> list[Candidate]:
    """The period's reports under `org` within the viewer's reach, those with photos first,
    then the newest; each carries its Highlight when already picked."""
    start, end = period.start, period.end
    found: list[Candidate] = []
    if source in ("", HighlightSource.SESSION):
        found += [_session(s) for s in _sessions(scope, org, start, end)[:LIMIT]]
    if source in ("", HighlightSource.ACTIVITY):
        found += [_activity(a) for a in _activities(scope, org, start, end)[:LIMIT]]
    if source in ("", HighlightSource.PROGRESS):
        for matter in _matters(scope, org, start, end)[:LIMIT]:
            found += [_progress(matter, r) for r in matter.reports.all() if start <= r.reported_on <= end]
    if source in ("", HighlightSource.DEED):
        found += [_deed(d) for d in _deeds(scope, org, start, end)[:LIMIT]]
    picked = {(h.source, h.source_id): h for h in Highlight.objects.filter(
        source__in={c.source for c in found}, source_id__in={c.source_id for c in found})}
    for c in found:
        c.picked = picked.get((c.source, c.source_id))
    found.sort(key=lambda c: (not c.photos, -c.day.toordinal(), c.source, -c.source_id))
    return found


def candidate_get(*, scope: Scope, source: str, source_id: int) -> Candidate:
    """One report by kind and id, if it is in the viewer's reach; otherwise 404."""
    found = None
    if source == HighlightSource.SESSION:
        s = outreach.session_list(scope=scope).filter(pk=source_id).prefetch_related("files").first()
        found = s and _session(s)
    elif source == HighlightSource.ACTIVITY:
        a = outreach.activity_list(scope=scope).filter(pk=source_id).first()
        found = a and _activity(a)
    elif source == HighlightSource.PROGRESS:
        matter = (practical.matters_in_scope(scope=scope).filter(reports__id=source_id).select_related("org")
                  .prefetch_related("reports__evidence").first())
        report = matter and next((r for r in matter.reports.all() if r.pk == source_id), None)
        found = report and _progress(matter, report)
    elif source == HighlightSource.DEED:
        d = practical.deeds_in_scope(scope=scope, status="confirmed").filter(pk=source_id).first()
        found = d and _deed(d)
    if not found:
        raise Http404(_("未找到该活动报告。"))
    return found
