"""Reads of the quiz. The daily contest's reads (and the contracts `reports` and `supervision`
read, see core/contracts.py) are re-exported here; 挑战答题 and 团队赛 are the submodules
`selectors.challenge` and `selectors.teams`; the office console's reads `selectors.console`."""

from dangshi.quiz.selectors import anticheat, challenge, console, ranking, teams  # noqa: F401 - submodules
from dangshi.quiz.selectors.daily import (  # noqa: F401 - the public surface
    CONTEST_CACHE_SECONDS,
    LOW_PARTICIPATION,
    ROLLUP_METRICS,
    agenda_items,
    attempt_items,
    attempt_payload,
    attempt_result,
    board_as_seen,
    board_org_or_404,
    certificate_by_serial,
    contest_for_member,
    contest_for_member_cached_or_404,
    contest_for_member_or_404,
    contest_for_org,
    contest_for_org_cached_or_404,
    contest_for_org_or_404,
    contests_in_scope,
    day_closed,
    displayed_answer,
    member_figures,
    names_masked,
    orgs_above,
    rollup_facts,
    served_options,
    today_attempt,
    wrong_book,
    wrong_or_404,
)
