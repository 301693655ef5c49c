PUBLIC = {
    "core:healthz",
    "core:metrics",
    "accounts:login",
    "accounts:set_language",
    "api:openapi-json",
    "api:openapi-view",
    "api:token_create",
}
