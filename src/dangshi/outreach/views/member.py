"""Member H5 pages: activities and sign-in, leave requests, logging a session from a phone,
and a lecturer's own page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.errors import DomainError
from dangshi.orgs.selectors import member_of
from dangshi.outreach import selectors, services
from dangshi.outreach.views.console import UPCOMING, session_new
from dangshi.outreach.views.public import lecturer_feed


@require_GET
def h5_activities(request):
    member = member_of(scope=request.scope)
    if member is None:
        raise Http404(_("页面不存在。"))
    today = timezone.localdate()
    return render(request, "outreach/h5_activities.html", {
        "activities": selectors.member_activities(member=member)[:50],
        "figures": selectors.member_attendance(member=member, start=today.replace(month=1, day=1), end=today),
        "now": timezone.now(),
    })


@require_http_methods(["GET", "POST"])
def h5_sign(request, signin_token: str):
    """Where the venue's QR code leads: the member confirms and is signed in."""
    member, activity = selectors.member_activity_or_404(scope=request.scope, token=signin_token)
    result = None
    if request.method == "POST":
        try:
            attendance, created = services.attendance_sign(activity=activity, member=member, token=signin_token,
                                                           actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            result = attendance
            messages.success(request, _("签到成功。") if created else _("您已签到,无需重复签到。"))
    opens, closes = selectors.signin_window(activity)
    signed = result or selectors.attendance_of(activity=activity, member=member)
    return render(request, "outreach/h5_sign.html", {"activity": activity, "signed": signed, "opens": opens, "closes": closes})


@require_POST
def h5_leave(request, activity_id: int):
    member, activity = selectors.member_activity_or_404(scope=request.scope, activity_id=activity_id)
    try:
        services.leave_request(activity=activity, member=member, reason=request.POST.get("reason", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("请假申请已提交,待支部审批。"))
    return redirect("outreach:h5_activities")


def h5_session_new(request):
    """Logging a session from a phone: the same form, laid out for a small screen."""
    return session_new(request, template="outreach/h5_session_new.html")


@require_GET
def h5_lecturer(request):
    """The lecturer's own page: their upcoming sessions and their calendar subscription.
    Staff without a lecturer record see why there is nothing; anyone else gets 404."""
    scope = request.scope
    lecturers = list(selectors.lecturers_of_user(user=request.user))
    if not lecturers and not (scope.is_admin or scope.is_lecturer):
        raise Http404(_("页面不存在。"))
    now = timezone.now()
    profiles = [(lecturer, selectors.lecturer_calendar(lecturer=lecturer, since=now)[:UPCOMING], lecturer_feed(request, lecturer))
                for lecturer in lecturers]
    return render(request, "outreach/h5_lecturer.html", {"profiles": profiles})
