"""Public pages: the iCalendar feeds a phone subscribes to (no login: calendar apps cannot
log in), and the subscription links the console and H5 pages show for them."""

from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangshi.orgs.selectors import org_by_code
from dangshi.outreach import calendar, selectors
from dangshi.outreach.models import Lecturer


def subscription(request, path: str) -> dict[str, str]:
    """The feed's address twice: webcal:// (a phone opens its calendar app and subscribes)
    and the plain http(s) address to paste into a calendar that asks for a URL."""
    url = request.build_absolute_uri(path)
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def lecturer_feed(request, lecturer: Lecturer) -> dict[str, str]:
    return subscription(request, reverse("outreach_calendar_lecturer", kwargs={"lecturer_token": lecturer.calendar_token}))


# -- iCalendar feeds ---------------------------------------------------------------------

def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f"inline; filename={name}.ics"
    response["Cache-Control"] = "public, max-age=900"
    return response


@login_not_required  # fetched by calendar apps, which cannot log in
@require_GET
def calendar_org(request, org_code: str):
    """Public: no personal data in it (see outreach/calendar.py)."""
    org = org_by_code(org_code)
    if org is None:
        raise Http404(_("未找到该组织。"))
    sessions, activities = selectors.org_calendar(org=org, since=timezone.now() - timedelta(days=30))
    return _ics(calendar.feed(_("%(org)s · 宣讲与活动") % {"org": org.name}, sessions, activities), org.code)


@login_not_required
@require_GET
def calendar_lecturer(request, lecturer_token: str):
    """The lecturer's own feed, reached by the secret token in its URL."""
    lecturer = selectors.lecturer_by_calendar_token(token=lecturer_token)
    if lecturer is None:
        raise Http404(_("未找到该日历。"))
    sessions = selectors.lecturer_calendar(lecturer=lecturer, since=timezone.now() - timedelta(days=30))
    return _ics(calendar.feed(_("我的宣讲安排"), sessions), "lecturer")
