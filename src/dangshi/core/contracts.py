"""What every module offers `reports` and `supervision`, so that those two read the
others without knowing their models. A module implements any of these in its
`selectors.py`; `dangshi.core.contracts.providers(name)` finds them.

ROLLUP_METRICS: dict[str, str]
    metric key ("quiz.attempts") → Chinese label ("答题人次").
rollup_facts(*, start: date, end: date, root_path: str = "") -> Iterable[Fact]
    Per-org facts for the period [start, end], for orgs whose path starts with root_path.
    Values must be additive over orgs: summing a subtree's facts gives the subtree's
    figure with nothing counted twice (a session covering two orgs is one 场次: count it
    at its host org; its coverage is a separate metric). Ratios are built by `reports`
    from additive parts (e.g. quiz.correct / quiz.answered).
agenda_items(*, root: Org, week_start: date, week_end: date) -> list[AgendaItem]
    Lines for the weekly dispatch meeting (overdue, lagging, gaps), each naming the
    responsible org and linking to the page that shows the problem.
member_figures(*, member: Member, start: date, end: date) -> dict[str, object]
    A member's figures for the quarterly review (季季评) draft, keyed by Chinese label.

Contracts through which a lower layer shows what a higher one owns (docs/architecture.md):

published_rankings(*, org: Org) -> list[dict]
    Rankings a module publishes for `org`'s children, each {"id", "name", "rows"}: the
    dashboard (reports) shows supervision's published competitions.
matter_source_counts(*, matter_ids: Iterable[int]) -> dict[int, int]
    How many items of a module are linked to each practical matter (hotline: 12345 requests).
matter_sources(*, scope: Scope, matter_id: int, limit: int = 200) -> tuple[int, list]
    Those items for one matter, in the caller's scope: (total, the first `limit`).
A provider's name must differ from every function of the caller's own selectors: the caller
finds providers by name in every app, its own included.
"""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class Fact:
    org_path: str
    metric: str
    value: float


@dataclass(frozen=True)
class AgendaItem:
    module: str  # app label
    kind: str  # e.g. "task_overdue", "org_no_session", "matter_lagging"
    title: str  # one line, Chinese
    org_id: int
    org_name: str
    url: str = ""
    detail: str = ""


def providers(name: str):
    """(app label, callable or value) for every dangshi app whose selectors define `name`."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dangshi."):
            continue
        try:
            module = import_module(f"{config.name}.selectors")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.selectors":
                continue
            raise
        if hasattr(module, name):
            found.append((config.label, getattr(module, name)))
    return found
