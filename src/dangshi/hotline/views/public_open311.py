"""Open311 GeoReport v2 at /open311/v2/ (public; POST needs an api_key).

Responses follow the spec's JSON and XML shapes; errors are `[{"code", "description"}]`
(XML `<errors><error>…`) with the matching HTTP status. Callers' names and phone numbers
are never part of a response, phone and ID numbers written into a description are blanked,
and 举报 (reports) are not listed at all: a whistle-blower's complaint is not public.
"""

from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dangshi.core import ratelimit
from dangshi.core.crypto import blank_personal_numbers
from dangshi.errors import DomainError
from dangshi.hotline.models import Channel, Kind, Request, ServiceType, State
from dangshi.hotline.selectors import open311_key, open311_requests, open311_token, service_list
from dangshi.hotline.services import request_create

SPEC = "http://wiki.open311.org/GeoReport_v2"
CLOSED = (State.ANSWERED, State.REPLIED, State.CALLBACK, State.CLOSED)
MAX_RESULTS = 1000


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


# -- rendering --------------------------------------------------------------------------------


def _xml_node(parent: ET.Element, tag: str, value) -> None:
    node = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_node(node, k, v)
    elif isinstance(value, list):
        child = tag[:-1] if tag.endswith("s") else "item"
        for item in value:
            _xml_node(node, child, item)
    elif value is not None:
        node.text = str(value).lower() if isinstance(value, bool) else str(value)


def render(fmt: str, data, *, root: str, item: str | None = None, status: int = 200) -> HttpResponse:
    """JSON as the spec shows it; XML with `root` wrapping one `item` element per list entry."""
    if fmt == "json":
        return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    top = ET.Element(root)
    for entry in data if isinstance(data, list) else [data]:
        target = ET.SubElement(top, item) if item else top
        for k, v in entry.items():
            _xml_node(target, k, v)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, [{"code": status, "description": description}], root="errors", item="error", status=status)


def _w3c(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _service_json(s: ServiceType) -> dict:
    return {"service_code": s.code, "service_name": s.name, "description": s.description, "metadata": False,
            "type": "realtime", "keywords": ",".join(s.keywords.split()), "group": s.group}


def _request_json(r: Request) -> dict:
    return {
        "service_request_id": r.number,
        "status": "closed" if r.state in CLOSED else "open",
        "status_notes": State(r.state).label,
        "service_name": r.service.name,
        "service_code": r.service.code,
        "description": blank_personal_numbers(r.content),
        "agency_responsible": r.org.name if r.org_id else "",
        "service_notice": "",
        "requested_datetime": _w3c(r.received_at),
        "updated_datetime": _w3c(r.closed_at or r.replied_at or r.signed_at or r.dispatched_at or r.received_at),
        "expected_datetime": _w3c(r.due_at),
        "address": blank_personal_numbers(r.address),
        "address_id": "",
        "zipcode": "",
        "lat": r.lat,
        "long": r.long,
        "media_url": "",
    }


# -- endpoints (called by views/public.py) ------------------------------------------------------------


def discovery(request, fmt: str) -> HttpResponse:
    url = request.build_absolute_uri("/open311/v2/")
    data = {
        "changeset": "2021-07-01T00:00:00+08:00",
        "contact": "12345",
        "key_service": "",
        "endpoints": [{"specification": SPEC, "url": url, "changeset": "2021-07-01T00:00:00+08:00",
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    }
    if fmt == "json":
        return render(fmt, data, root="discovery")
    top = ET.Element("discovery")
    for key in ("changeset", "contact", "key_service"):
        ET.SubElement(top, key).text = data[key]
    endpoints = ET.SubElement(top, "endpoints")
    endpoint = ET.SubElement(endpoints, "endpoint")
    for key in ("specification", "url", "changeset", "type"):
        ET.SubElement(endpoint, key).text = data["endpoints"][0][key]
    formats = ET.SubElement(endpoint, "formats")
    for f in data["endpoints"][0]["formats"]:
        ET.SubElement(formats, "format").text = f
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def services(request, fmt: str) -> HttpResponse:
    return render(fmt, [_service_json(s) for s in service_list()], root="services", item="service")


def service_definition(request, fmt: str, code: str) -> HttpResponse:
    service = service_list().filter(code=code).first()
    if service is None:
        return error(fmt, 404, f"service_code {code} not found")
    return render(fmt, {"service_code": service.code, "attributes": []}, root="service_definition")


def _when(value: str, name: str) -> datetime:
    parsed = parse_datetime(value.replace(" ", "+")) if value else None
    if parsed is None:
        raise Open311Error(400, f"{name} is not a w3 datetime (e.g. 2021-07-01T00:00:00+08:00)")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def requests_get(request, fmt: str) -> HttpResponse:
    p = request.GET
    qs = open311_requests()
    if p.get("service_request_id"):
        ids = [i.strip() for i in p["service_request_id"].split(",") if i.strip()]
        qs = qs.filter(number__in=ids)
    else:
        end = _when(p["end_date"], "end_date") if p.get("end_date") else timezone.now()
        start = _when(p["start_date"], "start_date") if p.get("start_date") else end - timedelta(days=90)
        if start > end:
            raise Open311Error(400, "start_date is after end_date")
        if end - start > timedelta(days=90):
            raise Open311Error(400, "the date range may not span more than 90 days")
        qs = qs.filter(received_at__gte=start, received_at__lte=end)
        if p.get("service_code"):
            qs = qs.filter(service__code__in=[c.strip() for c in p["service_code"].split(",")])
        if p.get("status"):
            statuses = {s.strip().lower() for s in p["status"].split(",")}
            if not statuses <= {"open", "closed"}:
                raise Open311Error(400, "status must be open or closed")
            if statuses == {"open"}:
                qs = qs.exclude(state__in=CLOSED)
            elif statuses == {"closed"}:
                qs = qs.filter(state__in=CLOSED)
    rows = [_request_json(r) for r in qs.order_by("-received_at", "-id")[:MAX_RESULTS]]
    return render(fmt, rows, root="service_requests", item="request")


def request_detail(request, fmt: str, number: str) -> HttpResponse:
    r = open311_requests().filter(number=number).first()
    if r is None:
        return error(fmt, 404, f"service_request_id {number} not found")
    return render(fmt, [_request_json(r)], root="service_requests", item="request")


def token_lookup(request, fmt: str, token: str) -> HttpResponse:
    r = open311_token(token)
    if r is None:
        return error(fmt, 404, f"token {token} not found")
    return render(fmt, [{"service_request_id": r["number"], "token": r["token"]}], root="service_requests",
                  item="request")


def requests_post(request, fmt: str) -> HttpResponse:
    p = request.POST
    key = open311_key(p.get("api_key", ""))
    if not p.get("api_key") or key is None:
        raise Open311Error(403, "api_key was not provided or is invalid")
    ratelimit.check(f"open311:{key.pk}", limit=600, window=60)
    service = service_list().filter(code=p.get("service_code", "")).first()
    if service is None:
        raise Open311Error(400, "service_code is missing or unknown" if p.get("service_code") else
                           "service_code is required")
    lat, long = p.get("lat"), p.get("long")
    if not ((lat and long) or p.get("address_string") or p.get("address_id")):
        raise Open311Error(400, "a location is required: lat and long, address_string or address_id")
    try:
        lat_f, long_f = (float(lat), float(long)) if lat and long else (None, None)
    except ValueError:
        raise Open311Error(400, "lat and long must be numbers") from None
    if not p.get("description", "").strip():
        raise Open311Error(400, "description is required")
    name = f"{p.get('last_name', '')}{p.get('first_name', '')}".strip()
    req = request_create(
        intake_org=key.intake_org, channel=Channel.OPEN311, kind=Kind.HELP, content=p["description"][:4000],
        service=service, caller_name=name[:50], caller_phone=p.get("phone", "")[:30],
        address=(p.get("address_string") or p.get("address_id") or "")[:200], lat=lat_f, long=long_f,
        actor=None,
    )
    body = [{"service_request_id": req.number, "token": req.token, "service_notice": "",
             "account_id": None}]
    return render(fmt, body, root="service_requests", item="request")


def dispatch(handler, request, fmt: str, *args) -> HttpResponse:
    """Run an endpoint, turning Open311Error and domain errors into the spec's error bodies."""
    try:
        return handler(request, fmt, *args)
    except Open311Error as exc:
        return error(fmt, exc.status, exc.description)
    except DomainError as exc:
        return error(fmt, 429 if exc.code == "rate_limited" else 400, str(exc.message))

