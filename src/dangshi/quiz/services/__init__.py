"""Writes of the quiz. The daily contest's services are re-exported here; the submodules are
挑战答题 (`services.challenge`), 团队赛 (`services.teams`), the wrong-answer book
(`services.review`), the bank (`services.bank`), the ranking snapshot (`services.ranking`),
review flags (`services.anticheat`) and the selection with its certificates
(`services.certificates`)."""

from dangshi.quiz.grading import deadline, is_correct, understood  # noqa: F401
from dangshi.quiz.services import anticheat, bank, certificates, challenge, ranking, review, teams  # noqa: F401 - submodules
from dangshi.quiz.services.daily import (  # noqa: F401 - the public surface
    attempt_answer,
    attempt_start,
    attempt_submit,
    contest_create,
    draw_questions,
    error_report_create,
    error_report_resolve,
    live_certificates,
    live_certificates_issue,
    live_certificates_zip,
    question_return,
    question_verify,
    standings_add,
)
