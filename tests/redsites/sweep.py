"""Scope sweep registry for redsites.

The catalogue (map, sites, heroes, routes, QR codes, the QR landing page and the
anonymous visitor counter) is public. Check-in (api:redsites_checkin) is open to any
logged-in member at any site of the public catalogue: the check-in is filed under the
member's own org, so nothing of another org is read or written (anonymous gets 401 and
a login without a member record 403: tests/redsites/test_checkin_api.py). Console pages,
posters and bookings are scoped by the managing / booking org.
"""

from datetime import timedelta

from django.utils import timezone

from tests.sweep import Param


def _site(w):
    from tests.redsites.helpers import site

    return w.once("redsites.site", lambda: site(w.branch_a, name="支部A管理的旧址"))


def _route(w):
    from tests.redsites.helpers import route

    return w.once("redsites.route", lambda: route(w.branch_a, [_site(w)]))


def _booking(w):
    from dangshi.redsites.services import booking_create

    return w.once("redsites.booking", lambda: booking_create(
        org=w.branch_a, site=_site(w), day=timezone.localdate() + timedelta(days=3), period="am", people=5))


PARAMS = {
    "site_id": Param(lambda w: _site(w).pk),
    "route_id": Param(lambda w: _route(w).pk),
    "booking_id": Param(lambda w: _booking(w).pk),
}
ROUTES = {
    "redsites:console_import_report": {"token": Param(lambda w: "expired-token", owner=None)},
}
PUBLIC = {
    "redsites:map", "redsites:heroes", "redsites:site", "redsites:site_qr", "redsites:route_sheet",
    "redsites:checkin_page", "redsites:visitor_count",
    "api:redsites_sites_list", "api:redsites_sites_geojson", "api:redsites_site_detail", "api:redsites_routes_list",
    "api:redsites_checkin",
}
