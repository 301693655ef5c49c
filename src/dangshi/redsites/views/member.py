"""红色资源: a member's own pages (H5)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangshi.redsites import selectors, services


@require_GET
def footprints(request):
    scope = request.scope
    member = scope.members().select_related("org").filter(pk=scope.member_id).first() if scope.is_member else None
    data = selectors.footprints(member=member) if member else None
    return render(request, "redsites/footprints.html", {"member": member, "data": data,
                                                       "thresholds": services.ACHIEVEMENT_THRESHOLDS})
