from django.utils.functional import SimpleLazyObject

from dangshi.core import context


class RequestContextMiddleware:
    """Binds the request's origin for the audit log and a lazy `request.scope`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from dangshi.orgs.scope import scope_for

        token = context.bind(
            context.RequestContext(
                ip=context.client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200]
            )
        )
        request.scope = SimpleLazyObject(lambda: scope_for(request.user))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
