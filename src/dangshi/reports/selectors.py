"""Reads for the dashboard, briefings and exports, all built on `engine.figures`.

This module is also the foundation's roll-up provider (org and member counts), since
`orgs` belongs to the foundation and the figures belong in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from dangshi.core import contracts
from dangshi.core.contracts import AgendaItem, Fact, providers
from dangshi.errors import Invalid
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import org_child_list, org_subtree
from dangshi.reports import engine, periods, prose
from dangshi.reports.models import Briefing, Highlight

if TYPE_CHECKING:
    from dangshi.orgs.models import Org
    from dangshi.reports.periods import Period

ROLLUP_METRICS = {
    "orgs.orgs": _("党组织"),
    "orgs.grassroots": _("基层党组织"),
    "orgs.members": _("党员"),
}


def rollup_facts(*, start: date, end: date, root_path: str = "") -> Iterable[Fact]:
    """Stock counts as of now (the tree has no history): one fact per org."""
    qs = org_subtree(root=root_path).annotate(
        n=Count("members", filter=Q(members__active=True))
    ).values_list("path", "grassroots", "n")
    for path, grassroots, n in qs.iterator(chunk_size=5000):
        yield Fact(path, "orgs.orgs", 1)
        if grassroots:
            yield Fact(path, "orgs.grassroots", 1)
        if n:
            yield Fact(path, "orgs.members", n)


TREND_WEEKS = 8


def _rows(values: dict[str, float], labels: dict[str, str]) -> list[dict]:
    rows = [{"key": k, "label": labels[k], "value": values.get(k, 0)} for k in engine.headline_keys(labels)]
    ratio_labels = {k: str(label) for k, label, *_rest in engine.DERIVED}
    rows += [{"key": k, "label": ratio_labels[k], "value": v} for k, v in engine.derived(values).items()]
    return rows


def activity_index(values: dict[str, float]) -> float:
    """Activity in the period per member: the sum of every flow figure (not the tree's
    own counts) over the members. The praise/urge lists rank sub-orgs by it."""
    members = values.get("orgs.members", 0)
    if not members:
        return 0.0
    return round(sum(v for k, v in values.items() if k not in engine.STOCK) / members, 3)


def dashboard(*, org: Org, period: Period, trend_weeks: int = TREND_WEEKS, competitions: bool = True) -> dict:
    """Everything the 驾驶舱 shows, as plain data (the API returns it as is)."""
    labels = engine.metric_labels()
    fig = engine.figures(org=org, start=period.start, end=period.end)
    children = {o.pk: o for o in org_child_list(org=org)}
    ranking = []
    for pk, child in children.items():
        values = fig.children.get(pk, {})
        ranking.append({
            "code": child.code, "name": child.name, "index": activity_index(values),
            "members": values.get("orgs.members", 0),
            "values": {k: values.get(k, 0) for k in labels} | engine.derived(values),
        })
    ranking.sort(key=lambda r: (-r["index"], r["code"]))
    heads = set(engine.headline_keys(labels))
    weeks = periods.weeks_before(period, trend_weeks)
    series = engine.trend(org=org, periods=weeks)
    return {
        "org": {"code": org.code, "name": org.name},
        "period": {"key": period.key, "label": period.label, "start": period.start, "end": period.end},
        "source": fig.source,
        "headlines": _rows(fig.totals, labels),
        "totals": fig.totals,
        "trend": {
            "weeks": [w.key for w in weeks],
            "series": [
                {"key": k, "label": label, "values": [s.get(k, 0) for s in series]}
                for k, label in labels.items() if k not in engine.STOCK and k in heads
            ],
        },
        "ranking": ranking,
        "competitions": _competitions(org) if competitions else [],
    }


def _competitions(org: Org) -> list[dict]:
    """The rankings higher modules publish for this org's children (supervision's unit
    competitions), read through the `published_rankings` contract: reports sits below
    supervision and may not import it."""
    out: list[dict] = []
    for _label, fn in providers("published_rankings"):
        out.extend(fn(org=org))
    return out


def table(*, org: Org, period: Period) -> tuple[list[str], list[list]]:
    """The statistical table (one row per sub-org, then the total): what the page shows,
    what the .xlsx holds and what the API returns."""
    labels = engine.metric_labels()
    fig = engine.figures(org=org, start=period.start, end=period.end)
    ratio_keys = [k for k, *_rest in engine.DERIVED]
    ratio_labels = {k: str(label) for k, label, *_rest in engine.DERIVED}
    present = [k for k in ratio_keys if k in engine.derived(fig.totals)]
    headers = [str(_("组织")), *labels.values(), *(ratio_labels[k] for k in present)]
    rows = []
    for child in org_child_list(org=org):
        values = fig.children.get(child.pk, {})
        d = engine.derived(values)
        rows.append([child.name, *(values.get(k, 0) for k in labels), *(d.get(k) for k in present)])
    d = engine.derived(fig.totals)
    rows.append([str(_("合计")), *(fig.totals.get(k, 0) for k in labels), *(d.get(k) for k in present)])
    return headers, rows


def praise_and_urge(*, ranking: list[dict], n: int = 3) -> tuple[list[dict], list[dict]]:
    """The most and least active sub-orgs of a dashboard's ranking (orgs with members only)."""
    ranked = [r for r in ranking if r["values"].get("orgs.members")]
    if len(ranked) < 2:
        return ranked[:1], []
    k = min(n, len(ranked) // 2)
    return ranked[:k], list(reversed(ranked[-k:]))


def highlights(*, org: Org, period: Period):
    """The highlights picked for `org`'s briefing of `period`, in the office's order."""
    return (Highlight.objects.filter(org__path__startswith=org.path, day__range=(period.start, period.end))
            .select_related("org").prefetch_related("photos").order_by("position", "id"))


def highlight_or_404(*, scope: Scope, highlight_id: int) -> Highlight:
    scope.require_office()
    h = scope.filter(Highlight.objects.select_related("org")).filter(pk=highlight_id).first()
    if h is None:
        raise Http404(_("未找到该亮点。"))
    return h


def briefing_list(*, scope: Scope, org: Org | None = None):
    qs = scope.filter(Briefing.objects.all()).select_related("org")
    if org is not None:
        qs = qs.filter(org=org)
    return qs


def briefing_file_or_404(*, scope: Scope, briefing_id: int) -> Briefing:
    """A briefing in reach whose document exists, else 404."""
    briefing = scope.filter(Briefing.objects.all()).filter(pk=briefing_id).first()
    if briefing is None or not briefing.file:
        raise Http404(_("未找到该简报。"))
    return briefing


def child_figures(*, org: Org, start: date, end: date) -> dict[int, dict[str, float]]:
    """Each child's subtree figures (for rankings elsewhere, e.g. unit competitions)."""
    return engine.figures(org=org, start=start, end=end).children


def metric_choices() -> list[tuple[str, str]]:
    return list(engine.metric_labels().items())


# -- the briefing document -------------------------------------------------------

def organiser_of(org: Org) -> str:
    return gettext("%(org)s党史学习教育领导小组办公室") % {"org": org.name.removeprefix("中共").removesuffix("委员会") + ("委" if org.name.endswith("委员会") else "")}


# This, the previous and the next period, as the briefing's sentences name them.
WORDS = {"week": (gettext_lazy("本周"), gettext_lazy("上周"), gettext_lazy("下周")),
         "month": (gettext_lazy("本月"), gettext_lazy("上月"), gettext_lazy("下月")),
         "qtr": (gettext_lazy("本季度"), gettext_lazy("上季度"), gettext_lazy("下季度"))}
TITLES = {"week": gettext_lazy("党史学习教育简报"), "month": gettext_lazy("党史学习教育工作月度小结"),
          "qtr": gettext_lazy("党史学习教育“季季评”工作小结")}
EMPTY = {"week": gettext_lazy("该周没有数据,请选择其他周。"), "month": gettext_lazy("该月没有数据,请选择其他月份。"),
         "qtr": gettext_lazy("该季度没有数据,请选择其他季度。")}


def _agenda(org: Org, period: Period) -> list[AgendaItem]:
    items = []
    for _app, provider in contracts.providers("agenda_items"):
        items += provider(root=org, week_start=period.start, week_end=period.end)
    return items


def briefing_data(*, org: Org, period: Period, number: int, today: date, signer: str = "",
                  texts: dict | None = None) -> dict:
    """Everything the document prints, from the same selectors as the dashboard: the prose of
    总体情况 is written from the very rows the figures table prints. `texts` are the office's
    edits (services.briefing_edit); without them the texts are generated."""
    dash = dashboard(org=org, period=period, competitions=False)
    labels = engine.metric_labels()
    values = {row["key"]: row["value"] for row in dash["headlines"]}
    flows = [v for k, v in values.items() if k not in engine.STOCK]
    if not any(flows):
        raise Invalid(str(EMPTY[period.kind]), field="period")
    this_word, prev_word, next_word = (str(w) for w in WORDS[period.kind])
    prev = period.previous()
    prev_fig = engine.figures(org=org, start=prev.start, end=prev.end)
    prev_values = prev_fig.totals | engine.derived(prev_fig.totals)
    # A rate of a previous period without its denominator (no answers yet) is no comparison, not 0%.
    before = {row["key"]: (None if row["key"] in engine.STOCK else
                           prev_values.get(row["key"]) if prose.is_rate(row["key"]) else prev_values.get(row["key"], 0))
              for row in dash["headlines"]}
    headers = [gettext("指标"), this_word, prev_word, gettext("增减")]
    rows = []
    for row in dash["headlines"]:
        if row["key"] in engine.STOCK:
            rows.append([row["label"], row["value"], "—", "—"])
            continue
        was = before[row["key"]]
        delta = None if row["value"] is None or was is None else round(row["value"] - was, 1)
        rows.append([row["label"], row["value"], was, delta])
    praise, urge = praise_and_urge(ranking=dash["ranking"])
    fell = [row for row in dash["headlines"] if row["key"] not in engine.STOCK and row["value"] is not None
            and before.get(row["key"]) is not None and row["value"] < before[row["key"]]]
    agenda = _agenda(org, period)
    overdue = [item for item in agenda if item.kind == "task_overdue"]
    open_tasks = [item for item in agenda if item.kind in ("task_overdue", "task_at_risk")]
    generated = {
        "overview": prose.overview(org_name=org.name, period_word=this_word, previous_word=prev_word,
                                   headlines=dash["headlines"], before=before),
        "problems": prose.problems(urge=urge, fell=fell, overdue=overdue, previous_word=prev_word),
        "plans": prose.plans(urge=urge, open_items=open_tasks, next_word=next_word),
    }
    picked = []
    for h in highlights(org=org, period=period):
        photos = []
        for photo in h.photos.all():
            with photo.image.open("rb") as fh:
                photos.append(fh.read())
        picked.append({"org": h.org.name, "title": h.title, "text": h.text, "photos": photos})
    return {
        "title": str(TITLES[period.kind]),
        "number": number,
        "organiser": organiser_of(org),
        "date": today,
        "signer": signer,
        "generated_at": timezone.localtime(),
        "heading": prose.cn_punct(gettext("%(p)s工作情况") % {"p": period.label}),
        "period_label": period.label,
        "org_name": org.name,
        "headlines": dash["headlines"],
        "headline_headers": headers,
        "headline_rows": rows,
        "values": values,
        "generated_texts": generated,
        "texts": texts or generated,
        "metrics": dict(labels),
        "totals": dash["totals"],
        "children": dash["ranking"],
        "trend": dash["trend"],
        "highlights": picked,
        "praise": praise,
        "urge": urge,
        "app_names": {c.label: str(c.verbose_name) for c in apps.get_app_configs()},
    }


def briefing_or_404(*, scope: Scope, briefing_id: int) -> Briefing:
    """A briefing of an org in the admin's reach (the console's briefings), else 404."""
    scope.require_admin()
    briefing = scope.filter(Briefing.objects.select_related("org")).filter(pk=briefing_id).first()
    if briefing is None:
        raise Http404(gettext("未找到该简报。"))
    return briefing
