"""Calendars: the iCalendar feeds a phone subscribes to, and the pages that show the
subscription links (the org's calendar page, a lecturer's console page, the lecturer's
own H5 page)."""

from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangshi.orgs.models import Org
from dangshi.outreach import calendar, selectors
from dangshi.outreach.models import Lecturer
from dangshi.outreach.views import picked_org

UPCOMING = 50  # rows of upcoming sessions/activities shown on a page (the feeds carry more)


def subscription(request, path: str) -> dict[str, str]:
    """The feed's address twice: webcal:// (a phone opens its calendar app and subscribes)
    and the plain http(s) address to paste into a calendar that asks for a URL."""
    url = request.build_absolute_uri(path)
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def _lecturer_feed(request, lecturer: Lecturer) -> dict[str, str]:
    return subscription(request, reverse("outreach_calendar_lecturer", kwargs={"lecturer_token": lecturer.calendar_token}))


@require_GET
def console_calendar(request):
    """An org's upcoming sessions and activities, with its feed's subscription link."""
    scope = request.scope
    scope.require_admin()
    org = picked_org(request)
    sessions, activities = selectors.org_calendar(org=org, since=timezone.now())
    return render(request, "outreach/console_calendar.html", {
        "org": org, "sessions": sessions[:UPCOMING], "activities": activities[:UPCOMING],
        "feed": subscription(request, reverse("outreach_calendar_org", kwargs={"org_code": org.code})),
    })


@require_GET
def console_lecturer(request, lecturer_id: int):
    """One lecturer: appointment, upcoming sessions, and the personal feed's link to hand over."""
    scope = request.scope
    scope.require_admin()
    lecturer = selectors.lecturer_or_404(scope=scope, lecturer_id=lecturer_id)
    return render(request, "outreach/console_lecturer.html", {
        "lecturer": lecturer, "sessions": selectors.lecturer_calendar(lecturer=lecturer, since=timezone.now())[:UPCOMING],
        "session_count": lecturer.sessions.count(), "feed": _lecturer_feed(request, lecturer) if lecturer.active else None,
    })


@require_GET
def h5_lecturer(request):
    """The lecturer's own page: their upcoming sessions and their calendar subscription.
    Staff without a lecturer record see why there is nothing; anyone else gets 404."""
    scope = request.scope
    lecturers = list(selectors.lecturers_of_user(user=request.user))
    if not lecturers and not (scope.is_admin or scope.is_lecturer):
        raise Http404(_("页面不存在。"))
    now = timezone.now()
    profiles = [(lecturer, selectors.lecturer_calendar(lecturer=lecturer, since=now)[:UPCOMING], _lecturer_feed(request, lecturer))
                for lecturer in lecturers]
    return render(request, "outreach/h5_lecturer.html", {"profiles": profiles})


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
    org = Org.objects.filter(code=org_code).first()
    if org is None:
        raise Http404(_("未找到该组织。"))
    sessions, activities = selectors.org_calendar(org=org, since=timezone.now() - timedelta(days=30))
    return _ics(calendar.feed(_("%(org)s · 宣讲与活动") % {"org": org.name}, sessions, activities), org.code)


@login_not_required
@require_GET
def calendar_lecturer(request, lecturer_token: str):
    """The lecturer's own feed, reached by the secret token in its URL."""
    lecturer = Lecturer.objects.filter(calendar_token=lecturer_token, active=True).first()
    if lecturer is None:
        raise Http404(_("未找到该日历。"))
    sessions = selectors.lecturer_calendar(lecturer=lecturer, since=timezone.now() - timedelta(days=30))
    return _ics(calendar.feed(_("我的宣讲安排"), sessions), "lecturer")
