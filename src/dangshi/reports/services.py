"""Writes of the reports app: briefings (numbered series), highlights, pre-aggregation."""

from datetime import date

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Invalid
from dangshi.orgs.models import Org
from dangshi.reports import document, engine, selectors
from dangshi.reports.models import Briefing, Highlight, RollupBuild
from dangshi.reports.periods import Period


def organiser_of(org: Org) -> str:
    return _("%(org)s党史学习教育领导小组办公室") % {"org": org.name.removeprefix("中共").removesuffix("委员会") + ("委" if org.name.endswith("委员会") else "")}


def briefing_data(*, org: Org, period: Period, number: int, today: date) -> dict:
    """Everything the document prints, from the same selectors as the dashboard."""
    dash = selectors.dashboard(org=org, period=period, competitions=False)
    labels = engine.metric_labels()
    values = {row["key"]: row["value"] for row in dash["headlines"]}
    monthly = period.kind == "month"
    if monthly:
        prev = period.previous()
        prev_fig = engine.figures(org=org, start=prev.start, end=prev.end)
        prev_values = prev_fig.totals | engine.derived(prev_fig.totals)
        headers = [_("指标"), _("本月"), _("上月"), _("增减")]
        rows = []
        for row in dash["headlines"]:
            before = prev_values.get(row["key"], 0)
            delta = None if row["value"] is None or before is None else row["value"] - before
            rows.append([row["label"], row["value"], before, delta])
    else:
        headers = [_("指标"), _("本周")]
        rows = [[row["label"], row["value"]] for row in dash["headlines"]]
    praise, urge = selectors.praise_and_urge(ranking=dash["ranking"])
    highlights = []
    for h in selectors.highlights(org=org, period=period)[:10]:
        photo = b""
        if h.photo:
            with h.photo.open("rb") as fh:
                photo = fh.read()
        highlights.append({"org": h.org.name, "title": h.title, "text": h.text, "photo": photo})
    return {
        "title": _("党史学习教育简报") if not monthly else _("党史学习教育工作月度小结"),
        "number": number,
        "organiser": organiser_of(org),
        "date": today,
        "heading": _("%(p)s工作情况") % {"p": period.label},
        "period_label": period.label,
        "org_name": org.name,
        "headlines": dash["headlines"],
        "headline_headers": headers,
        "headline_rows": rows,
        "values": values,
        "metrics": dict(labels),
        "totals": dash["totals"],
        "children": dash["ranking"],
        "trend": dash["trend"],
        "highlights": highlights,
        "praise": praise,
        "urge": urge,
        "app_names": {c.label: str(c.verbose_name) for c in apps.get_app_configs()},
    }


def briefing_generate(*, org: Org, period: Period, actor=None, today: date | None = None) -> Briefing:
    """Produce (or reproduce) the briefing of `org` for `period`. A new period takes the
    next number of the org's series; regenerating a period keeps its number."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # Lock the org row: two concurrent generations for new periods would otherwise
        # both read the same Max(number) and collide on briefing_number_unique.
        Org.objects.select_for_update().filter(pk=org.pk).first()
        briefing = Briefing.objects.filter(org=org, kind=period.kind, period=period.key).first()
        if briefing is None:
            last = Briefing.objects.filter(org=org, kind=period.kind).aggregate(n=Max("number"))["n"] or 0
            briefing = Briefing(org=org, kind=period.kind, period=period.key, start=period.start, end=period.end, number=last + 1)
        data = briefing_data(org=org, period=period, number=briefing.number, today=today)
        content = document.render(data=data)
        briefing.figures = {row["key"]: row["value"] for row in data["headlines"]}
        briefing.created_by = actor if getattr(actor, "pk", None) else None
        if briefing.file:
            briefing.file.delete(save=False)
        briefing.file.save(f"{org.code}-{period.key}.docx", ContentFile(content), save=False)
        briefing.save()
        log_event("reports.briefing.generated", actor=actor, obj=briefing,
                  data={"period": period.key, "kind": period.kind, "number": briefing.number})
    return briefing


def highlight_create(*, org: Org, day: date, title: str, text: str, photo=None, actor=None) -> Highlight:
    if not title.strip():
        raise Invalid(_("请填写标题。"), field="title")
    if not text.strip():
        raise Invalid(_("请填写内容。"), field="text")
    with transaction.atomic():
        h = Highlight(org=org, day=day, title=title.strip(), text=text.strip(), created_by=actor)
        if photo:
            h.photo = photo
        h.save()
        log_event("reports.highlight.created", actor=actor, obj=h, data={"title": h.title})
    return h


def rollup_rebuild(*, period: Period, actor=None) -> RollupBuild:
    build = engine.rollup_rebuild(period=period)
    log_event("reports.rollup.rebuilt", actor=actor, obj=build, data={"period": period.key, "rows": build.rows.count()})
    return build
