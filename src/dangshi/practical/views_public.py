"""The public board (no login) and the member's H5 pages (my claims, claim, log a deed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.core.context import current
from dangshi.errors import DomainError
from dangshi.hotline import selectors as hotline_selectors
from dangshi.orgs.models import Member
from dangshi.practical import selectors, services
from dangshi.practical.models import DONE_STATES, DeedCategory, Field, Tier
from dangshi.practical.services_people import deed_log, rating_code_request, rating_submit
from dangshi.practical.views import _date, _int


# -- public board ----------------------------------------------------------------------
@login_not_required
@require_GET
def board(request):
    g = request.GET
    qs = selectors.board(tier=g.get("tier", ""), field=g.get("field", ""), org_code=g.get("org", ""))
    page = Paginator(qs, 30).get_page(g.get("page"))
    # The number of linked 12345 requests is the only thing the board tells of them.
    page.object_list = hotline_selectors.with_request_counts(selectors.with_health(page.object_list))
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
            rating_submit(matter=matter, score=_int(request.POST.get("score"), "score", 0),
                          phone=request.POST.get("phone", ""), code=request.POST.get("code", ""),
                          user=request.user if request.user.is_authenticated else None)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("感谢您的评价。"))
        return redirect("practical:board_matter", matter.pk)
    return render(request, "practical/board_matter.html", {
        "matter": hotline_selectors.with_request_counts(selectors.with_health([matter]))[0],
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


# -- member H5 -----------------------------------------------------------------------
def _member(request) -> Member:
    scope = request.scope
    if not scope.is_member:
        from django.http import Http404

        raise Http404(_("页面不存在。"))
    return get_object_or_404(Member.objects.select_related("org"), pk=scope.member_id)


@require_GET
def member_claims(request):
    member = _member(request)
    claims = list(selectors.member_claims(member_id=member.pk))
    selectors.with_health([c.matter for c in claims])
    deeds = selectors.deeds_in_scope(scope=request.scope).filter(member=member)[:50]
    return render(request, "practical/member_claims.html", {"member": member, "claims": claims, "deeds": deeds})


@require_GET
def member_matters(request):
    _member(request)
    matters = selectors.with_health(selectors.claimable(scope=request.scope)[:100])
    return render(request, "practical/member_matters.html", {"matters": matters})


@require_http_methods(["GET", "POST"])
def member_matter(request, matter_id: int):
    member = _member(request)
    matter = selectors.matter_or_404(scope=request.scope, matter_id=matter_id)
    if request.method == "POST":
        try:
            services.matter_claim(matter=matter, member=member, actor=request.user,
                                  joint=request.POST.get("joint") == "1")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("认领成功。"))
        return redirect("practical:member_matter", matter.pk)
    detail = selectors.matter_detail(matter=matter)
    detail["mine"] = next((c for c in detail["claims"] if c.member_id == member.pk), None)
    detail["may_lead"] = services.rule_for(campaign=matter.campaign, category=member.category).may_lead
    return render(request, "practical/member_matter.html", detail)


@require_http_methods(["GET", "POST"])
def member_deed_new(request):
    member = _member(request)
    context = {"categories": DeedCategory.choices, "f": request.POST, "today": timezone.localdate()}
    if request.method == "POST":
        p = request.POST
        try:
            deed_log(member=member, actor=request.user, category=p.get("category", ""), title=p.get("title", ""),
                     description=p.get("description", ""),
                     beneficiaries=_int(p.get("beneficiaries"), "beneficiaries", 1),
                     happened_on=_date(p.get("happened_on"), "happened_on"), evidence=request.FILES.get("evidence"))
        except DomainError as exc:
            context["error"] = exc.message
        else:
            messages.success(request, _("已登记,待支部确认。"))
            return redirect("practical:member_claims")
    return render(request, "practical/member_deed_new.html", context)
