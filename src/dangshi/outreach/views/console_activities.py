"""Console: activities with QR sign-in, and leave decisions."""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.errors import DomainError
from dangshi.outreach import selectors, services
from dangshi.outreach.forms import ActivityForm


@require_http_methods(["GET", "POST"])
def console_activities(request):
    scope = request.scope
    scope.require_admin()
    form = ActivityForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_create(
                scope=scope, actor=request.user, org=data["org"], kind=data["kind"], title=data["title"],
                starts_at=data["starts_at"], ends_at=data["ends_at"], place=data["place"], signin_minutes=data["signin_minutes"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("已安排活动。"))
            return redirect("outreach:console_activity", activity_id=activity.pk)
    page = Paginator(selectors.activity_list(scope=scope), 50).get_page(request.GET.get("page"))
    return render(request, "outreach/console_activities.html", {"page": page, "form": form})


def _sign_url(request, activity) -> str:
    return request.build_absolute_uri(reverse("outreach:h5_sign", kwargs={"signin_token": activity.signin_token}))


@require_GET
def console_activity(request, activity_id: int):
    scope = request.scope
    scope.require_admin()
    activity = selectors.activity_or_404(scope=scope, activity_id=activity_id)
    opens, closes = selectors.signin_window(activity)
    return render(request, "outreach/console_activity.html", {
        "activity": activity, "figures": selectors.activity_attendance(activity=activity),
        "attendances": activity.attendances.select_related("member").order_by("signed_at")[:500],
        "leaves": selectors.pending_leaves(scope=scope, activity=activity), "opens": opens, "closes": closes,
        "sign_url": _sign_url(request, activity),
    })


@require_GET
def console_activity_qr(request, activity_id: int):
    """The sign-in QR code, for the screen or a printed poster at the venue."""
    scope = request.scope
    scope.require_admin()
    activity = selectors.activity_or_404(scope=scope, activity_id=activity_id)
    image = qrcode.make(_sign_url(request, activity), image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    out = io.BytesIO()
    image.save(out)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@require_POST
def console_leave_decide(request, leave_id: int):
    scope = request.scope
    scope.require_admin()
    leave = selectors.leave_or_404(scope=scope, leave_id=leave_id)
    try:
        services.leave_decide(scope=scope, actor=request.user, leave=leave, approve=request.POST.get("approve") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("outreach:console_activity", activity_id=leave.activity_id)
