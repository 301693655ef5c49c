"""The ASGI app, served beside the WSGI one (make run: granian --interface asginl on PORT + 1).

It carries the live contest's WebSockets only (/ws/live/…, Django Channels), authenticated
by the session cookie and refused from an origin outside ALLOWED_HOSTS. Plain HTTP stays with
the WSGI app: Django's ASGIRequest keeps the ASGI scope in `request.scope`, which the
project's RequestContextMiddleware replaces with the org Scope, so pages are not served here
(an HTTP request gets 404).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi = get_asgi_application()  # sets Django up before the consumers' models are imported

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from dangshi.live.routing import websocket_urlpatterns  # noqa: E402


async def http_not_here(scope, receive, send):
    await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"WebSockets only: pages are served by the WSGI app.\n"})


application = ProtocolTypeRouter({
    "http": http_not_here,
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
})
