"""Reads for the dashboard, briefings and exports, all built on `engine.figures`.

This module is also the foundation's roll-up provider (org and member counts), since
`orgs` belongs to the foundation and the figures belong in one place.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from dangshi.core.contracts import Fact
from dangshi.orgs.models import Org
from dangshi.reports import engine, periods
from dangshi.reports.models import Briefing, Highlight
from dangshi.reports.periods import Period

ROLLUP_METRICS = {
    "orgs.orgs": _("党组织"),
    "orgs.grassroots": _("基层党组织"),
    "orgs.members": _("党员"),
}


def rollup_facts(*, start: date, end: date, root_path: str = "") -> Iterable[Fact]:
    """Stock counts as of now (the tree has no history): one fact per org."""
    qs = Org.objects.filter(path__startswith=root_path).annotate(
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
    children = {o.pk: o for o in Org.objects.filter(parent=org).order_by("path")}
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
    """Unit competitions the office published for this org's children (supervision)."""
    from django.core.cache import cache

    from dangshi.supervision.selectors import competition_ranking, competitions_published

    out = []
    for c in competitions_published(org=org):
        # A competition spans months: its ranking is a scan of that span, so the dashboard
        # keeps it for a quarter of an hour rather than recomputing it on every view.
        rows = cache.get_or_set(f"reports:competition:{c.pk}", lambda c=c: competition_ranking(competition=c), 900)
        out.append({"id": c.pk, "name": c.name, "rows": rows})
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
    for child in Org.objects.filter(parent=org).order_by("path"):
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


def highlight_or_404(*, scope, highlight_id: int) -> Highlight:
    scope.require_office()
    h = scope.filter(Highlight.objects.select_related("org")).filter(pk=highlight_id).first()
    if h is None:
        raise Http404(_("未找到该亮点。"))
    return h


def briefing_list(*, scope, org: Org | None = None):
    qs = scope.filter(Briefing.objects.all()).select_related("org")
    if org is not None:
        qs = qs.filter(org=org)
    return qs


def current_period(kind: str, today: date) -> Period:
    return periods.period_of(kind, today)


def child_figures(*, org: Org, start: date, end: date) -> dict[int, dict[str, float]]:
    """Each child's subtree figures (for rankings elsewhere, e.g. unit competitions)."""
    return engine.figures(org=org, start=start, end=end).children


def metric_choices() -> list[tuple[str, str]]:
    return list(engine.metric_labels().items())


def briefing_or_404(*, scope, briefing_id: int) -> Briefing:
    """A briefing of an org in the admin's reach (the console's briefings), else 404."""
    scope.require_admin()
    briefing = scope.filter(Briefing.objects.select_related("org")).filter(pk=briefing_id).first()
    if briefing is None:
        raise Http404(_("未找到该简报。"))
    return briefing
