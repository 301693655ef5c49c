"""Every URL and API route, every persona: nothing out of scope is ever answered with 2xx.

Routes are collected from the live URLconf, so a route added later is swept without
anyone remembering to add it; one with a kwarg no `tests/<app>/sweep.py` names fails.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import SENTINEL_ID, SENTINEL_NAME, SENTINEL_PHONE
from tests.sweep import load

PARAMS, ROUTES, PUBLIC = load()
OUTSIDERS = ("admin_b", "member_c", "outsider")
SKIP_PREFIXES = ("admin/", "static/", "media/", "__debug__/")
_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else None


def _routes():
    seen = {}
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or "^" in route or route in seen:
            continue
        seen[route] = name
    return sorted(seen.items())


def _api_methods():
    from dangshi.api import api

    schema = api.get_openapi_schema()
    return {path: {m.upper() for m in ops} for path, ops in schema["paths"].items()}


API_METHODS = None


def _methods(route: str) -> set[str]:
    global API_METHODS
    if route.startswith("api/v1/"):
        API_METHODS = API_METHODS or _api_methods()
        key = "/" + _CONVERTER.sub(lambda m: "{" + m["name"] + "}", route)
        return API_METHODS.get(key, {"GET"})
    return {"GET", "POST"}


def _fill(route: str, name: str | None, world) -> tuple[str, set[str]]:
    owners, overrides = set(), ROUTES.get(name or "", {})

    def sub(m):
        kwarg = m["name"]
        param = overrides.get(kwarg) or PARAMS.get(kwarg)
        if param is None:
            pytest.fail(f"route {route!r} ({name}) has kwarg {kwarg!r} that no tests/<app>/sweep.py names")
        if param.owner:
            owners.add(param.owner)
        return str(param.value(world))

    return "/" + _CONVERTER.sub(sub, route), owners


def _call(client, method, path):
    if method == "GET":
        return client.get(path)
    return client.generic(method, path, data=b"{}", content_type="application/json")


ROUTE_LIST = _routes()


@pytest.mark.parametrize(("route", "name"), ROUTE_LIST, ids=[r for r, _ in ROUTE_LIST])
def test_route_refuses_everyone_out_of_scope(world, route, name):
    path, owners = _fill(route, name, world)
    methods = _methods(route)
    public = name in PUBLIC
    has_object = "<" in route

    for method in sorted(methods):
        if not public:
            response = _call(world.client(None), method, path)
            assert response.status_code in {302, 401, 403, 404, 405}, (
                f"anonymous {method} {path} answered {response.status_code}"
            )
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"], f"anonymous {method} {path} → {response['Location']}"
        if has_object and not public:
            for persona in OUTSIDERS:
                response = _call(world.client(persona), method, path)
                assert not 200 <= response.status_code < 300, f"{persona} {method} {path} answered {response.status_code}"
                if method == "GET":
                    assert response.status_code in {302, 404, 405}, f"{persona} GET {path} answered {response.status_code}"

    for owner in owners if "GET" in methods and not public else ():
        response = world.client(owner).get(path)
        assert response.status_code not in {401, 403, 404}, (
            f"{owner} should reach {path} (the sweep's sample object is wrong?): {response.status_code}"
        )


@pytest.mark.parametrize(("route", "name"), [(r, n) for r, n in ROUTE_LIST if "<" not in r], ids=[r for r, n in ROUTE_LIST if "<" not in r])
def test_pages_never_show_out_of_scope_or_clear_personal_data(world, route, name):
    """Lists and pages: the sentinel (a member of 支部A) never appears for a sibling or an
    outsider, and nobody ever sees a phone or ID number in clear."""
    path = "/" + route
    for persona in ("office", "admin_a", *OUTSIDERS):
        response = world.client(persona).get(path)
        if response.status_code != 200 or not hasattr(response, "content"):
            continue
        body = response.content.decode(errors="replace")
        assert SENTINEL_PHONE not in body and SENTINEL_ID not in body, f"{persona} sees personal data in clear on {path}"
        if persona in OUTSIDERS:
            assert SENTINEL_NAME not in body, f"{persona} sees a member of 支部A on {path}"
