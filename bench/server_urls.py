"""URLconf for bench/server_choice.py: the whole app plus one Django+ninja write endpoint."""

from django.urls import path
from ninja import NinjaAPI

from dangshi.audit.services import log_event
from dangshi.urls import urlpatterns as app_urlpatterns

bench_api = NinjaAPI(urls_namespace="bench", docs_url=None, openapi_url=None)


@bench_api.post("/write")
def bench_write(request):
    """One audited database write through the full middleware stack, the ORM and ninja."""
    event = log_event("bench.write", data={"n": 1})
    return {"id": event.pk}


def _exempt(urls):
    for pattern in urls[0]:
        pattern.callback.login_required = False
    return urls


urlpatterns = [path("bench/", _exempt(bench_api.urls)), *app_urlpatterns]
