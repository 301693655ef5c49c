PUBLIC = {
    "core:healthz",
    "accounts:login",
    "accounts:set_language",
    "api:openapi-json",
    "api:openapi-view",
    "api:token_create",
}
