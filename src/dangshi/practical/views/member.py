"""The member's H5 pages: my claims, the matters I may claim, claim one, log a deed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.errors import DomainError
from dangshi.orgs.selectors import member_of
from dangshi.practical import selectors, services
from dangshi.practical.models import DeedCategory
from dangshi.practical.services_people import deed_log
from dangshi.practical.views.parse import date_field, int_field

if TYPE_CHECKING:
    from dangshi.orgs.models import Member


def _member(request) -> Member:
    member = member_of(scope=request.scope)
    if member is None:
        raise Http404(_("页面不存在。"))
    return member


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
    detail["may_lead"] = selectors.rule_for(campaign=matter.campaign, category=member.category).may_lead
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
                     beneficiaries=int_field(p.get("beneficiaries"), "beneficiaries", 1),
                     happened_on=date_field(p.get("happened_on"), "happened_on"), evidence=request.FILES.get("evidence"))
        except DomainError as exc:
            context["error"] = exc.message
        else:
            messages.success(request, _("已登记,待支部确认。"))
            return redirect("practical:member_claims")
    return render(request, "practical/member_deed_new.html", context)
