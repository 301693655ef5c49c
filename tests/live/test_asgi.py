"""The ASGI app carries the live sockets only: plain HTTP there answers 404 (pages stay with
the WSGI app, whose `request.scope` is the org Scope)."""

from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator

from dangshi.asgi import application


def test_http_to_the_asgi_app_is_not_served():
    async def run():
        return await HttpCommunicator(application, "GET", "/live/").get_response()

    response = async_to_sync(run)()
    assert response["status"] == 404 and b"WebSockets only" in response["body"]
