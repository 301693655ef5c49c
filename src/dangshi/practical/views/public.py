"""The public board (no login): matters, one matter with its rating form, the rating code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.core.context import current
from dangshi.errors import DomainError
from dangshi.practical import selectors
from dangshi.practical.models import DONE_STATES, Field, Tier
from dangshi.practical.services_people import rating_code_request, rating_submit
from dangshi.practical.views.parse import int_field


# -- public board ----------------------------------------------------------------------
@login_not_required
@require_GET
def board(request):
    g = request.GET
    qs = selectors.board(tier=g.get("tier", ""), field=g.get("field", ""), org_code=g.get("org", ""))
    page = Paginator(qs, 30).get_page(g.get("page"))
    # The number of linked 12345 requests is the only thing the board tells of them.
    page.object_list = selectors.with_source_counts(selectors.with_health(page.object_list))
    return render(request, "practical/board.html", {
        "page": page, "f": g, "tiers": Tier.choices, "fields": Field.choices, "orgs": selectors.board_orgs(),
        "satisfaction": selectors.board_satisfaction(),
    })


@login_not_required
@require_http_methods(["GET", "POST"])
def board_matter(request, matter_id: int):
    """GET: one matter. POST: a rating (signed in: one per account; else one per verified phone)."""
    matter = selectors.board_matter_or_404(matter_id=matter_id)
    if request.method == "POST":
        try:
            rating_submit(matter=matter, score=int_field(request.POST.get("score"), "score", 0),
                          phone=request.POST.get("phone", ""), code=request.POST.get("code", ""),
                          user=request.user if request.user.is_authenticated else None)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("感谢您的评价。"))
        return redirect("practical:board_matter", matter.pk)
    return render(request, "practical/board_matter.html", {
        "matter": selectors.with_source_counts(selectors.with_health([matter]))[0],
        "milestones": matter.milestones.all(),
        "children": selectors.with_health(matter.children.exclude(state="cancelled").exclude(state="draft")),
        "satisfaction": selectors.satisfaction(matter=matter),
        "can_rate": matter.state in DONE_STATES,
    })


@login_not_required
@require_POST
def board_code(request, matter_id: int):
    """Send a one-time code to the phone the resident typed; the page never shows it."""
    matter = selectors.board_matter_or_404(matter_id=matter_id)
    try:
        rating_code_request(matter=matter, phone=request.POST.get("phone", ""), client_ip=current().ip or "")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("验证码已发送,请查收短信。"))
    return redirect("practical:board_matter", matter.pk)
