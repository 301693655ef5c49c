from tests.sweep import Param

ROUTES = {
    "api:token_delete": {"prefix": Param(lambda w: "nosuchtk", owner=None)},
    "accounts:activate": {"key": Param(lambda w: "no-such-activation-key", owner=None)},
}
# A member with no password yet gets in through these (issue 14); each is rate-limited.
PUBLIC = {"accounts:activate", "api:account_activate", "api:auth_sms_request", "api:auth_sms_verify",
          "sms_sign_in"}
