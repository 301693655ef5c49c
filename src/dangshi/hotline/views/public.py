"""Public pages (no login): the request form and Open311 GeoReport v2."""


from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dangshi.core import ratelimit
from dangshi.core.context import current
from dangshi.errors import DomainError
from dangshi.hotline import selectors
from dangshi.hotline.models import Kind
from dangshi.hotline.services import request_submit_public
from dangshi.hotline.views import public_open311 as open311


@login_not_required
@require_http_methods(["GET", "POST"])
def public_form(request):
    """The public form (no login): rate-limited per IP; shows the number, never echoes personal data."""
    context = {"kinds": Kind.choices, "services": selectors.service_list(), "values": {}}
    if request.method == "POST":
        p = request.POST
        context["values"] = {k: p.get(k, "") for k in ("kind", "service", "content", "address")}
        try:
            ratelimit.check(f"hotline-form:{current().ip}", limit=5, window=3600)
            req = request_submit_public(kind=p.get("kind", ""), service_code=p.get("service", ""),
                                        content=p.get("content", "")[:4000], caller_name=p.get("name", "")[:50],
                                        caller_phone=p.get("phone", "")[:30], address=p.get("address", "")[:200])
        except DomainError as exc:
            context["error"] = exc.message
        else:
            return render(request, "hotline/public_done.html", {"number": req.number})
    return render(request, "hotline/public_form.html", context)


# -- Open311 GeoReport v2 (public) -------------------------------------------------------------


def _o311(handler):
    @login_not_required
    @csrf_exempt  # a machine API authenticated by api_key, not a cookie
    def view(request, o311_format: str, **kwargs):
        return open311.dispatch(handler, request, o311_format, *kwargs.values())

    view.__name__ = handler.__name__
    return view


@login_not_required
@csrf_exempt
def open311_requests(request, o311_format: str):
    if request.method == "POST":
        return open311.dispatch(open311.requests_post, request, o311_format)
    if request.method != "GET":
        return open311.error(o311_format, 405, "method not allowed")
    return open311.dispatch(open311.requests_get, request, o311_format)


open311_discovery = _o311(open311.discovery)
open311_services = _o311(open311.services)
open311_service = _o311(open311.service_definition)
open311_request = _o311(open311.request_detail)
open311_token = _o311(open311.token_lookup)
