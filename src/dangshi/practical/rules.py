"""Pure rules: claiming defaults per member category and the schedule health of a matter.

No database here, so the arithmetic is tested by hand-computed values with a fixed clock.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from dangshi.orgs.choices import MemberCategory
from dangshi.practical.models import DONE_STATES, State


@dataclass(frozen=True)
class Rule:
    may_lead: bool
    min_leads: int
    max_leads: int | None
    may_join: bool


# The 2021 district rule: leaders (副处级以上) must claim and lead at least one; 科级 cadres
# may lead one alone; ordinary members join a claim jointly (合领合办).
DEFAULT_RULES = {
    MemberCategory.LEADER: Rule(may_lead=True, min_leads=1, max_leads=None, may_join=True),
    MemberCategory.CADRE: Rule(may_lead=True, min_leads=0, max_leads=1, may_join=True),
    MemberCategory.ORDINARY: Rule(may_lead=False, min_leads=0, max_leads=None, may_join=True),
}

ON_SCHEDULE, LAGGING, OVERDUE, DONE, INACTIVE = "on_schedule", "lagging", "overdue", "done", "inactive"
HEALTH_LABELS = {
    ON_SCHEDULE: _("达序时"),
    LAGGING: _("滞后"),
    OVERDUE: _("逾期"),
    DONE: _("已完成"),
    INACTIVE: _("—"),
}


def elapsed_share(*, planned_start: date, planned_end: date, today: date) -> float:
    """The share of planned time gone by, in percent (0 before the start, 100 at the end)."""
    if today <= planned_start:
        return 0.0
    span = (planned_end - planned_start).days
    if span <= 0 or today >= planned_end:
        return 100.0
    return 100.0 * (today - planned_start).days / span


def health(*, state: str, progress: int, planned_start: date, planned_end: date, tolerance: int, today: date) -> str:
    """on_schedule when progress ≥ elapsed share − tolerance; lagging otherwise; overdue once
    the planned end has passed unfinished; done for completed or verified matters."""
    if state in DONE_STATES:
        return DONE
    if state in (State.DRAFT, State.CANCELLED, State.SUSPENDED):
        return INACTIVE
    if today > planned_end:
        return OVERDUE
    share = elapsed_share(planned_start=planned_start, planned_end=planned_end, today=today)
    return ON_SCHEDULE if progress >= share - tolerance else LAGGING


def weighted_progress(children: list[tuple[int, int]]) -> int:
    """(weight, progress) pairs → the weighted mean, rounded to a whole percent."""
    total = sum(w for w, _p in children)
    if not total:
        return 0
    return round(sum(w * p for w, p in children) / total)


def rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
