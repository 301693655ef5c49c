from tests.sweep import Param

PUBLIC = {
    "core:healthz",
    "accounts:login",
    "accounts:set_language",
    "api:openapi-json",
    "api:openapi-view",
    "api:token_create",
    "media",  # uploads: public photos of the boards; served as attachments with nosniff (core.media)
}
ROUTES = {"media": {"path": Param(lambda w: "nosuch/file.png", owner=None)}}
