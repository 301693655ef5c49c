"""The ASGI app, served beside the WSGI one (make run: granian --interface asgi on PORT + 1).

It carries the live contest's WebSockets (/ws/live/…, Django Channels) and answers plain
HTTP with the same Django app, so one ASGI server alone could also serve the site. Sockets
are authenticated by the session cookie and refused from an origin outside ALLOWED_HOSTS.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi = get_asgi_application()  # sets Django up before the consumers' models are imported

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from dangshi.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter({
    "http": django_asgi,
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
})
