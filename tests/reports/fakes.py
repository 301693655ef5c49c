"""Fake module providers for the contracts in dangshi.core.contracts, so the roll-up engine,
the dispatch agenda and the quarterly review are tested without the other modules' code.

`install(monkeypatch, fake)` makes `contracts.providers(name)` answer the real providers
(reports' own org/member counts, supervision's tasks) plus the fake's."""

from dataclasses import dataclass, field
from datetime import date

from dangshi.core import contracts
from dangshi.core.contracts import AgendaItem, Fact


@dataclass
class FakeModule:
    label: str = "fakemod"
    metrics: dict = field(default_factory=lambda: {
        "outreach.sessions": "宣讲场次", "outreach.audience": "覆盖人次",
        "quiz.answered": "答题数", "quiz.correct": "答对数",
    })
    # (org, day, metric, value)
    facts: list = field(default_factory=list)
    agenda: list = field(default_factory=list)  # AgendaItem, returned when the week matches
    figures: dict = field(default_factory=dict)  # member_id -> {label: value}
    calls: list = field(default_factory=list)

    def add(self, org, day: date, metric: str, value: float):
        self.facts.append((org, day, metric, value))

    def rollup_facts(self, *, start, end, root_path=""):
        self.calls.append((start, end, root_path))
        for org, day, metric, value in self.facts:
            if start <= day <= end and org.path.startswith(root_path):
                yield Fact(org.path, metric, value)

    def agenda_items(self, *, root, week_start, week_end):
        return list(self.agenda)

    def member_figures(self, *, member, start, end):
        return dict(self.figures.get(member.pk, {}))


def install(monkeypatch, fake: FakeModule, *, keep_real: bool = True):
    real = contracts.providers

    def providers(name):
        found = [p for p in real(name) if p[0] in {"reports", "supervision"}] if keep_real else []
        value = {"ROLLUP_METRICS": fake.metrics, "rollup_facts": fake.rollup_facts,
                 "agenda_items": fake.agenda_items, "member_figures": fake.member_figures}.get(name)
        if value is not None:
            found.append((fake.label, value))
        return found

    monkeypatch.setattr(contracts, "providers", providers)
    return fake


def gap(org, title="本月未开展宣讲", kind="org_no_session", module="outreach"):
    return AgendaItem(module=module, kind=kind, title=title, org_id=org.pk, org_name=org.name, url=f"/orgs/console/?org={org.code}")
