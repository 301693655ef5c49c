"""评诺 arithmetic: every rating becomes 0–100 points; the result is the weighted mean of the
three rater kinds' means (a kind with no ratings drops out and the other weights are rescaled)."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from dangshi.errors import Invalid
from dangshi.pledges.models import RaterKind, Scale

GRADES = {"优秀": 100, "良好": 80, "一般": 60, "差": 40}
# A weighted score at or above the bound earns the grade.
BOUNDS = ((90, "优秀"), (75, "良好"), (60, "一般"), (0, "差"))


def points_for(scale: str, value) -> tuple[int, str]:
    """(points, label) for a rating given on the round's scale."""
    if scale == Scale.GRADES:
        if value not in GRADES:
            raise Invalid(_("请选择评价等次:优秀、良好、一般或差。"), field="value")
        return GRADES[value], str(value)
    try:
        stars = int(value)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise Invalid(_("请选择 1 到 5 星。"), field="value")
    return stars * 20, f"{stars}★"


def weighted_score(*, weights: dict[str, int], ratings: Iterable[tuple[str, int]]) -> Decimal | None:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, points in ratings:
        by_kind[kind].append(points)
    present = {k: weights[k] for k in by_kind if weights.get(k)}
    total = sum(present.values())
    if not total:
        return None
    score = sum(Decimal(w) * Decimal(sum(by_kind[k])) / Decimal(len(by_kind[k])) for k, w in present.items()) / total
    return score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade_label(score: Decimal | None) -> str:
    if score is None:
        return ""
    return next(label for bound, label in BOUNDS if score >= bound)


def round_weights(round_) -> dict[str, int]:
    return {RaterKind.SELF: round_.weight_self, RaterKind.PEER: round_.weight_peer, RaterKind.PUBLIC: round_.weight_public}
