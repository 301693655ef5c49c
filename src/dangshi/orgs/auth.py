"""How the API knows who calls it: a bearer token or the session (mounted by `dangshi.api`)."""

from ninja.security import HttpBearer, SessionAuth

from dangshi.orgs.scope import scope_for_bearer


class BearerToken(HttpBearer):
    """`Authorization: Bearer <key>`: the token's user and their scope, read in one query
    (`orgs.scope.scope_for_bearer`)."""

    def authenticate(self, request, token):
        found = scope_for_bearer(token)
        if found is None:
            return None
        request.user, request.scope = found
        return request.user


class Session(SessionAuth):
    """Session auth with CSRF on unsafe methods (ninja's default for cookies)."""


AUTH = [BearerToken(), Session()]
