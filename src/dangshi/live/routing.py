"""The live contest's WebSocket routes (served by the ASGI app, dangshi.asgi)."""

from django.urls import path

from dangshi.live.consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/live/desk/<str:join_key>/", LiveConsumer.as_asgi()),
    path("ws/live/<int:contest_id>/<str:role>/", LiveConsumer.as_asgi()),
]
