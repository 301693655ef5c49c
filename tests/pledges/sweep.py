from tests.pledges import builders as b
from tests.sweep import Param

PARAMS = {
    # A draft of member_a (支部A): admin_a reaches it in the console, member_a on the H5.
    "pledge_id": Param(lambda w: w.once("pledges.pledge", lambda: b.pledge_in(w, "draft")).pk),
    "unit_id": Param(lambda w: w.once("pledges.unit", lambda: b.unit(w)).pk),
    "checklist_id": Param(lambda w: w.once("pledges.checklist", lambda: b.checklist(w, [w.branch_a])).pk),
}
_OWN = Param(lambda w: w.once("pledges.pledge", lambda: b.pledge_in(w, "draft")).pk, owner="member_a")
ROUTES = {
    "pledges:member_pledge": {"pledge_id": _OWN},
    "pledges:member_pledge_act": {"pledge_id": _OWN},
    "pledges:public_board": {"org_code": Param(lambda w: w.branch_a.code, owner=None)},
    "pledges:public_showcase": {"org_code": Param(lambda w: w.branch_a.code, owner=None)},
}
PUBLIC = {"pledges:public_board", "pledges:public_pledge", "pledges:public_showcase"}
