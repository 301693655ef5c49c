"""内容审核 routes for the scope sweep: office only (the 区委 office owns every sample)."""

from tests.learning.sweep import _branch_item
from tests.quiz.sweep import _question
from tests.sweep import Param


def _report(w):
    """member_a's 答题纠错 on a question (filed under 支部A)."""
    def make():
        from dangshi.quiz.models import ErrorReport

        question = _question(w)
        return ErrorReport.objects.create(question=question, version=question.current, member=w.members["member_a"],
                                          org=w.branch_a, text="扫描用纠错").pk

    return w.once("review.report", make)


ROUTES = {
    "review:item": {"item_id": Param(_branch_item, owner="office")},
    "review:question": {"question_id": Param(lambda w: _question(w).pk, owner="office")},
    "review:report_resolve": {"report_id": Param(_report, owner="office")},
}
