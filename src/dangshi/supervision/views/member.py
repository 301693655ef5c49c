"""Member pages: the member's own published quarterly reviews (季季评)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangshi.supervision import selectors


@require_GET
def member_reviews(request):
    scope = request.scope
    if not scope.is_member:
        raise Http404(_("页面不存在。"))
    return render(request, "supervision/member_reviews.html", {"reviews": selectors.reviews_for_member(member_id=scope.member_id)})
