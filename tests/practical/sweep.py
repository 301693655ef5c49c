from tests.practical.helpers import matter
from tests.sweep import Param


def _matter_id(w):
    # A published matter of 支部A: admin_a manages it, member_a (of 支部A) may see and claim it.
    return w.once("practical.matter", lambda: matter(w, org=w.branch_a, actor=w.users["admin_a"])).pk


PARAMS = {"matter_id": Param(_matter_id)}
ROUTES = {
    "practical:member_matter": {"matter_id": Param(_matter_id, owner="member_a")},
}
# The public board needs no login and shows only published matters, never personal data.
PUBLIC = {"practical:board", "practical:board_matter", "practical:board_code"}
