from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangshi.orgs import selectors


@require_GET
def member_home(request):
    member = selectors.member_of(scope=request.scope)
    campaign = selectors.campaign_for(org=member.org if member else None)
    return render(request, "core/member_home.html", {"member": member, "campaign": campaign})
