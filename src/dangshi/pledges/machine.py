"""The member commitment's state machine (五诺), as one table.

承诺 (draft → submitted), 审诺 (approve | return | reject), 亮诺 (publish),
践诺 (progress → submit_fulfilment), 评诺 (open_rating → rate → close_rating), then archive.
`services.pledge_act` is the only code that moves a commitment, and it moves it only
along a row of TRANSITIONS; every other (state, action) pair is refused.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from dangshi.pledges.models import State

# Who may take an action.
OWNER = "owner"  # the member whose commitment it is
BRANCH = "branch"  # the branch secretary (an org admin or office user whose scope holds the branch)
RATER = "rater"  # self, fellow branch members and the public, per the rating rules


class Action:
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    PUBLISH = "publish"
    PROGRESS = "progress"
    SUBMIT_FULFILMENT = "submit_fulfilment"
    OPEN_RATING = "open_rating"
    RATE = "rate"
    CLOSE_RATING = "close_rating"
    ARCHIVE = "archive"


ACTION_LABELS = {
    Action.EDIT: gettext_lazy("修改"),
    Action.SUBMIT: gettext_lazy("提交审核"),
    Action.WITHDRAW: gettext_lazy("撤回"),
    Action.APPROVE: gettext_lazy("审核通过"),
    Action.RETURN: gettext_lazy("退回修改"),
    Action.REJECT: gettext_lazy("不予通过"),
    Action.PUBLISH: gettext_lazy("公示"),
    Action.PROGRESS: gettext_lazy("报告进展"),
    Action.SUBMIT_FULFILMENT: gettext_lazy("提交践诺情况"),
    Action.OPEN_RATING: gettext_lazy("开启评议"),
    Action.RATE: gettext_lazy("评议"),
    Action.CLOSE_RATING: gettext_lazy("结束评议"),
    Action.ARCHIVE: gettext_lazy("归档"),
}
ACTIONS = tuple(ACTION_LABELS)


@dataclass(frozen=True)
class Step:
    to: str
    who: str


# (state, action) → (next state, who may take it). The whole machine; nothing else moves a commitment.
TRANSITIONS: dict[tuple[str, str], Step] = {
    (State.DRAFT, Action.EDIT): Step(State.DRAFT, OWNER),
    (State.DRAFT, Action.SUBMIT): Step(State.SUBMITTED, OWNER),
    (State.RETURNED, Action.EDIT): Step(State.DRAFT, OWNER),  # returned: editable again, back to draft
    (State.RETURNED, Action.SUBMIT): Step(State.SUBMITTED, OWNER),
    (State.SUBMITTED, Action.WITHDRAW): Step(State.DRAFT, OWNER),  # withdraw before approval
    (State.SUBMITTED, Action.APPROVE): Step(State.APPROVED, BRANCH),
    (State.SUBMITTED, Action.RETURN): Step(State.RETURNED, BRANCH),
    (State.SUBMITTED, Action.REJECT): Step(State.REJECTED, BRANCH),
    (State.APPROVED, Action.PUBLISH): Step(State.PUBLISHED, BRANCH),
    (State.PUBLISHED, Action.PROGRESS): Step(State.FULFILLING, OWNER),
    (State.FULFILLING, Action.PROGRESS): Step(State.FULFILLING, OWNER),
    (State.FULFILLING, Action.SUBMIT_FULFILMENT): Step(State.FULFILMENT_SUBMITTED, OWNER),
    (State.FULFILMENT_SUBMITTED, Action.OPEN_RATING): Step(State.RATING_OPEN, BRANCH),
    (State.RATING_OPEN, Action.RATE): Step(State.RATING_OPEN, RATER),
    (State.RATING_OPEN, Action.CLOSE_RATING): Step(State.RATED, BRANCH),
    (State.RATED, Action.ARCHIVE): Step(State.ARCHIVED, BRANCH),
}

EDITABLE_STATES = (State.DRAFT, State.RETURNED)


def allowed(state: str, action: str) -> bool:
    return (state, action) in TRANSITIONS


def actions_from(state: str, who: str | None = None) -> list[str]:
    return [a for (s, a), step in TRANSITIONS.items() if s == state and (who is None or step.who == who)]


def listing(labels) -> str:
    """Labels joined with the language's list separator (、 in Chinese, a comma in English)."""
    return pgettext("list separator", "、").join(str(label) for label in labels)


def refusal(state: str, action: str) -> str:
    """The message for a pair not in the machine: names the state, the action and what is possible.
    Each variant is one whole sentence, so that a translation can order its parts freely."""
    values = {"state": State(state).label, "action": ACTION_LABELS[action]}
    possible = actions_from(state)
    if not possible:
        return _("该承诺当前为「%(state)s」,不能%(action)s。此状态下不能再做任何操作。") % values
    values["possible"] = listing(ACTION_LABELS[a] for a in possible)
    return _("该承诺当前为「%(state)s」,不能%(action)s。此时可以:%(possible)s。") % values
