"""The audience phone: answer along, one's own score, the audience ranking. A signed-in member
of the contest's org subtree, or anyone if the contest is public (a visitor gives a nickname,
kept in the session). No influence on the teams."""

import secrets

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from dangshi.live import selectors
from dangshi.live.views.shell import render_live


@login_not_required
@require_http_methods(["GET", "POST"])
def audience(request, show_id: int):
    contest = selectors.contest_for_audience_or_404(scope=request.scope, contest_id=show_id)
    member = request.scope.is_member
    if request.method == "POST" and not member and contest.public:
        name = request.POST.get("name", "").strip()[:20]
        if name:
            request.session["live_visitor"] = {"key": secrets.token_urlsafe(12), "name": name}
        return redirect("live:audience", show_id=contest.pk)
    needs_name = not member and not request.session.get("live_visitor")
    return render_live(request, "live/audience.html", {"contest": contest, "needs_name": needs_name},
                       ws_path=f"/ws/live/{contest.pk}/audience/")
