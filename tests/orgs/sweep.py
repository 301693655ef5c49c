from tests.sweep import Param

PARAMS = {
    "code": Param(lambda w: w.branch_a.code),
    "member_id": Param(lambda w: w.members["sentinel"].pk),
}
ROUTES = {
    "orgs:console_import_report": {"token": Param(lambda w: "expired-token", owner=None)},
}
