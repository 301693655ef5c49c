from django.utils.functional import SimpleLazyObject

from dangshi.orgs.scope import scope_for


class ScopeMiddleware:
    """A lazy `request.scope`: computed once, on first use, for the request's user (the bearer
    auth replaces it with the token's scope). Every page and service reads this one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_for(request.user))
        return self.get_response(request)
