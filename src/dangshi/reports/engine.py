"""The roll-up engine: every module's additive facts, summed over any subtree and period.

Everything that shows a figure (dashboard, briefing, monthly summary, .xlsx exports, API)
asks `figures()`, so the numbers are the same everywhere. For a week or a month that
has been pre-aggregated (`rollup_rebuild`, run by the scheduled task) the answer is read
from `Rollup` rows that already hold subtree totals; otherwise the providers are scanned.
Both paths sum the same facts the same way, so they agree (a test checks this).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangshi.core import contracts
from dangshi.orgs.selectors import org_child_list, org_ids_by_path, path_chain
from dangshi.reports.models import Rollup, RollupBuild
from dangshi.reports.periods import Period

if TYPE_CHECKING:
    from dangshi.orgs.models import Org

# Ratios built from additive parts; shown when both parts are provided.
# (key, label, numerator, denominator, scale)
DERIVED = [
    ("quiz.accuracy", _("答题正确率(%)"), "quiz.correct", "quiz.answered", 100),
    ("learning.five_ones_rate", _("五个一达标率(%)"), "learning.five_ones_members", "learning.five_ones_assessed", 100),
    ("practical.completion", _("实事完成率(%)"), "practical.matters_completed", "practical.matters_started", 100),
    ("hotline.satisfaction", _("12345诉求满意率(%)"), "hotline.satisfied", "hotline.callbacks", 100),
    ("pledges.fulfilment", _("承诺践诺率(%)"), "pledges.fulfilled", "pledges.total", 100),
]
# The dashboard's and briefing's headline figures, where a module provides them; a module
# none of whose metrics is listed here shows all of its metrics (the tables always do).
HEADLINE = [
    "orgs.orgs", "orgs.grassroots", "orgs.members",
    "outreach.sessions", "outreach.audience", "outreach.audience_offline", "outreach.audience_online",
    "quiz.participants", "quiz.attempts", "learning.reads", "redsites.checkins",
    "practical.matters_started", "practical.matters_completed", "hotline.requests", "pledges.fulfilled",
]


def headline_keys(labels: dict[str, str]) -> list[str]:
    by_module: dict[str, list[str]] = {}
    for key in labels:
        by_module.setdefault(key.split(".", 1)[0], []).append(key)
    out = []
    for keys in by_module.values():
        chosen = [k for k in keys if k in HEADLINE]
        out += chosen or keys
    return out
# Stock figures (counts of the tree itself) rather than activity in the period.
STOCK = {"orgs.orgs", "orgs.grassroots", "orgs.members"}


def metric_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    # The foundation's own counts first, then the modules in INSTALLED_APPS order.
    found = contracts.providers("ROLLUP_METRICS")
    for _app, metrics in sorted(found, key=lambda p: p[0] != "reports"):
        labels.update({k: str(v) for k, v in metrics.items()})
    return labels


def raw_facts(*, start: date, end: date, root_path: str = "") -> Iterable[contracts.Fact]:
    for _label, fn in contracts.providers("rollup_facts"):
        yield from fn(start=start, end=end, root_path=root_path)


@dataclass
class Figures:
    """Totals for `org`'s subtree and for each child's subtree (the ranking)."""

    org: Org
    start: date
    end: date
    totals: dict[str, float] = field(default_factory=dict)
    children: dict[int, dict[str, float]] = field(default_factory=dict)
    source: str = "scan"  # or "rollup"

    def value(self, metric: str, of: int | None = None) -> float:
        row = self.totals if of is None else self.children.get(of, {})
        return row.get(metric, 0)


def derived(values: dict[str, float]) -> dict[str, float | None]:
    out = {}
    for key, _label, num, den, scale in DERIVED:
        if den in values or num in values:
            d = values.get(den, 0)
            out[key] = round(values.get(num, 0) * scale / d, 1) if d else None
    return out


def _scan(org: Org, start: date, end: date) -> Figures:
    fig = Figures(org, start, end)
    child_paths = dict(org_child_list(org=org).values_list("path", "id"))
    width = len(org.path) + (len(next(iter(child_paths))) - len(org.path) if child_paths else 0)
    totals: dict[str, float] = defaultdict(float)
    children: dict[int, dict[str, float]] = {pk: defaultdict(float) for pk in child_paths.values()}
    for fact in raw_facts(start=start, end=end, root_path=org.path):
        if not fact.org_path.startswith(org.path):
            continue  # a provider that ignores root_path must not leak others' figures
        totals[fact.metric] += fact.value
        child = child_paths.get(fact.org_path[:width])
        if child is not None:
            children[child][fact.metric] += fact.value
    fig.totals = dict(totals)
    fig.children = {pk: dict(v) for pk, v in children.items()}
    return fig


def figures(*, org: Org, start: date, end: date) -> Figures:
    build = RollupBuild.objects.filter(start=start, end=end).first()
    if build is None:
        return _scan(org, start, end)
    fig = Figures(org, start, end, source="rollup")
    child_ids = list(org_child_list(org=org).values_list("pk", flat=True))
    fig.children = {pk: {} for pk in child_ids}
    # By org id (the unique (build, org, metric) index), not by path: a path filter would
    # join every row of the build to the org table.
    rows = Rollup.objects.filter(build=build, org_id__in=[org.pk, *child_ids]).values_list("org_id", "metric", "value")
    for org_id, metric, value in rows:
        if org_id == org.pk:
            fig.totals[metric] = value
        else:
            fig.children[org_id][metric] = value
    return fig


def trend(*, org: Org, periods: list[Period], today: date | None = None) -> list[dict[str, float]]:
    """Totals for each period (oldest first): one indexed read per pre-aggregated week.

    A closed period (ended before today) that was never pre-aggregated is built now, once,
    for the whole tree, so the next trend reads it like the others; the open period is
    scanned (its figures still change)."""
    today = today or timezone.localdate()
    builds = {(b.start, b.end): b for b in RollupBuild.objects.filter(period__in=[p.key for p in periods])}
    for p in periods:
        if (p.start, p.end) not in builds and p.end < today:
            try:
                builds[(p.start, p.end)] = rollup_rebuild(period=p)
            except IntegrityError:  # a concurrent request built it first: scan this once
                continue
    pre = defaultdict(dict)
    if builds:
        rows = Rollup.objects.filter(build__in=builds.values(), org=org).values_list("build_id", "metric", "value")
        for build_id, metric, value in rows:
            pre[build_id][metric] = value
    out = []
    for p in periods:
        b = builds.get((p.start, p.end))
        out.append(pre[b.pk] if b else _scan(org, p.start, p.end).totals)
    return out


def rollup_rebuild(*, period: Period) -> RollupBuild:
    """Recompute one period for the whole tree: each fact is added to its org and every
    ancestor. The old build is replaced in one transaction, so readers see old or new."""
    ids = org_ids_by_path()
    depth_paths: dict[str, list[str]] = {}
    sums: dict[tuple[int, str], float] = defaultdict(float)
    for fact in raw_facts(start=period.start, end=period.end, root_path=""):
        ancestors = depth_paths.get(fact.org_path)
        if ancestors is None:
            ancestors = [path for path in path_chain(fact.org_path) if path in ids]
            depth_paths[fact.org_path] = ancestors
        for path in ancestors:
            sums[(ids[path], fact.metric)] += fact.value
    with transaction.atomic():
        RollupBuild.objects.filter(period=period.key).delete()
        build = RollupBuild.objects.create(period=period.key, kind=period.kind, start=period.start, end=period.end)
        _insert_rows(build, sums)
    return build


def _insert_rows(build: RollupBuild, sums: dict[tuple[int, str], float]) -> None:
    """A province writes ~800,000 rows per period: COPY on PostgreSQL, bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.copy(
            "COPY reports_rollup (build_id, org_id, metric, value) FROM STDIN"
        ) as copy:
            for (org_id, metric), value in sums.items():
                copy.write_row((build.pk, org_id, metric, value))
        return
    Rollup.objects.bulk_create(
        (Rollup(build=build, org_id=org_id, metric=metric, value=value) for (org_id, metric), value in sums.items()),
        batch_size=5000,
    )
