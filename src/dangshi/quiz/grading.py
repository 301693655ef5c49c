"""Grading, shared by the daily contest, the challenge and the wrong-answer book: a member's
answer in the version's terms, and whether it is right. Pure functions: no query, no write."""

import re
import unicodedata
from datetime import datetime, timedelta

from dangshi.quiz.models import AttemptItem, Contest, QuestionType

OPTION_KEYS = "ABCDEFGH"
TRUE, FALSE = "对", "错"
_SPACE = re.compile(r"\s+")
_TRAILING = re.compile(r"[。.!!]+$")


# Title and quotation marks a member may or may not type around a fill-in answer: stems show
# 《____》 and “____”, so 《论十大关系》 and 论十大关系 are the same answer (half-width <> too).
_MARKS = re.compile(r"[《》〈〉<>«»‹›“”‘’\"'「」『』]")


def fold_text(value) -> str:
    """Full/half width folded, spaces and a closing full stop removed, case folded (stems)."""
    return _TRAILING.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", str(value or "")))).casefold()


def normalise_text(value) -> str:
    """For comparing fill-in answers: `fold_text`, and title and quotation marks removed."""
    return _MARKS.sub("", fold_text(value))


def understood(*, item: AttemptItem, question_type: str, given) -> list[str] | None:
    """The member's answer in the version's terms (displayed keys mapped back to original ones)."""
    if given is None or given == "" or given == []:
        return None
    if question_type == QuestionType.FILL:
        return [str(given if not isinstance(given, list) else (given[0] if given else ""))]
    values = given if isinstance(given, list) else list(str(given))
    if question_type == QuestionType.TRUE_FALSE:
        word = str(values[0]) if values else ""
        return [word] if word in (TRUE, FALSE) else None
    keys = sorted({str(v).strip().upper() for v in values if str(v).strip()})
    mapping = {OPTION_KEYS[i]: original for i, original in enumerate(item.order)}
    return sorted(mapping[k] for k in keys if k in mapping) or None


def is_correct(*, question_type: str, answer: list, given: list[str] | None) -> bool:
    if given is None:
        return False
    if question_type == QuestionType.FILL:
        return normalise_text(given[0]) in {normalise_text(a) for a in answer}
    return sorted(given) == sorted(answer)


def deadline(*, contest: Contest, item) -> datetime:
    """When the answer to `item` (an AttemptItem or a submit_sql.ItemRow) must have arrived."""
    return item.served_at + timedelta(seconds=(item.position + 1) * contest.seconds_per_question + contest.grace_seconds)
