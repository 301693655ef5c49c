"""Who may do what to a request, stated once: the state machine and the two roles.

The services check these before every write; the pages and the API ask
`selectors.actions_allowed` (built from the same table) which buttons to offer.
"""

from dangshi.hotline.models import Action, Request, State
from dangshi.orgs.scope import Scope

TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    Action.ANSWER: ((State.RECEIVED, State.RETURNED), State.ANSWERED),
    Action.DISPATCH: ((State.RECEIVED, State.RETURNED, State.REOPENED), State.DISPATCHED),
    Action.RETURN: ((State.DISPATCHED, State.SIGNED), State.RETURNED),
    Action.SIGN: ((State.DISPATCHED,), State.SIGNED),
    Action.START: ((State.SIGNED, State.REOPENED), State.IN_PROGRESS),
    Action.REPLY: ((State.SIGNED, State.IN_PROGRESS, State.REOPENED), State.REPLIED),
    Action.CALLBACK: ((State.REPLIED, State.ANSWERED), State.CALLBACK),
    Action.CLOSE: ((State.CALLBACK,), State.CLOSED),
    Action.REOPEN: ((State.CALLBACK, State.CLOSED), State.REOPENED),
}

# The transitions the centre takes, and those the handling org takes.
CENTRE_ACTIONS = {Action.ANSWER, Action.DISPATCH, Action.CALLBACK, Action.CLOSE, Action.REOPEN}
HANDLER_ACTIONS = {Action.RETURN, Action.SIGN, Action.START, Action.REPLY}


def is_centre(scope: Scope, req: Request) -> bool:
    """The hotline centre: an office user whose reach includes the request's intake org."""
    return scope.is_office and scope.reaches(req.intake_org)


def is_handler(scope: Scope, req: Request) -> bool:
    """Staff of the handling (主办) org."""
    return scope.is_admin and req.org_id is not None and scope.reaches(req.org)
