from tests.outreach import helpers as h
from tests.sweep import Param

PARAMS = {
    "session_id": Param(lambda w: w.once("outreach.session", lambda: h.session(w)).pk),
    "lecturer_id": Param(lambda w: w.once("outreach.lecturer", lambda: h.lecturer(w, appoint=True)).pk),
    "activity_id": Param(lambda w: w.once("outreach.activity", lambda: h.activity(w)).pk),
    "leave_id": Param(lambda w: w.once("outreach.leave", lambda: _leave(w)).pk),
    "report_token": Param(lambda w: "expired-token", owner=None),
    "signin_token": Param(lambda w: w.once("outreach.activity", lambda: h.activity(w)).signin_token, owner="member_a"),
    "org_code": Param(lambda w: w.branch_a.code, owner=None),
    "group_id": Param(lambda w: w.once("outreach.group", lambda: h.group(w, zone=[w.branch_a])).pk),
    "lecturer_token": Param(lambda w: w.once("outreach.lecturer", lambda: h.lecturer(w, appoint=True)).calendar_token, owner=None),
}
ROUTES = {
    # The member's own activity (支部A's), for the leave request.
    "outreach:h5_leave": {"activity_id": Param(lambda w: w.once("outreach.activity", lambda: h.activity(w)).pk, owner=None)},
}
# Calendar feeds: the org feed carries no personal data; the lecturer feed is reached by a secret token.
PUBLIC = {"outreach_calendar_org", "outreach_calendar_lecturer"}


def _leave(w):
    from dangshi.outreach import services

    activity = w.once("outreach.activity", lambda: h.activity(w))
    return services.leave_request(activity=activity, member=w.members["member_a"], reason="出差")
