"""Public pages (no login): 亮诺 boards per branch or org subtree, a commitment with its
rating form (评诺), and the units' year-end results showcase (成果展示).

Only a member's name and branch are ever shown here: no phone, no ID number."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.core import ratelimit
from dangshi.core.context import current
from dangshi.errors import DomainError
from dangshi.pledges import selectors, services
from dangshi.pledges.grading import GRADES
from dangshi.pledges.models import Scale

# A public form: at most this many rating attempts per client address per window.
RATE_LIMIT, RATE_WINDOW = 10, 600


@login_not_required
@require_GET
def public_board(request, org_code: str):
    org = selectors.public_org_or_404(org_code)
    pledges = selectors.public_pledges(org=org)
    page = Paginator(pledges, 20).get_page(request.GET.get("page"))
    return render(request, "pledges/public_board.html", {"org": org, "page": page})


@login_not_required
@require_http_methods(["GET", "POST"])
def public_pledge(request, pledge_id: int):
    pledge = selectors.public_pledge_or_404(pledge_id=pledge_id)
    if request.method == "POST":
        try:
            ratelimit.check(f"pledges-public-rate:{current().ip}", limit=RATE_LIMIT, window=RATE_WINDOW)
            services.pledge_rate(pledge=pledge, scope=request.scope, actor=request.user,
                                 value=request.POST.get("value"), comment=request.POST.get("comment", ""),
                                 phone=request.POST.get("phone", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("感谢您的评议!"))
        return redirect("pledges:public_pledge", pledge_id=pledge.pk)
    return render(request, "pledges/public_pledge.html", {
        "pledge": pledge, "items": pledge.items.all(), "progress": pledge.progress.order_by("-on", "-id"),
        "summary": selectors.rating_summary(pledge=pledge),
        "rating_open": selectors.rating_open(pledge=pledge),
        "grades": list(GRADES) if pledge.round.scale == Scale.GRADES else None, "stars": range(5, 0, -1),
    })


@login_not_required
@require_GET
def public_showcase(request, org_code: str):
    org = selectors.public_org_or_404(org_code)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    units = selectors.unit_showcase(org=org, year=year)
    return render(request, "pledges/public_showcase.html", {"org": org, "year": year, "units": units})
