"""The contestant's phone: a desk joins its team by the QR code on the desk and the PIN the
host reads out, then gets a big buzz button (抢答, 加赛), answer entry where its round allows,
and its score. Only signed-in users of the contest's org subtree get here (else 404)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from dangshi.errors import DomainError
from dangshi.live import selectors, services
from dangshi.live.consumers import DESK_SESSION_KEY
from dangshi.live.views.shell import render_live


@require_http_methods(["GET", "POST"])
def desk(request, join_key: str):
    team = selectors.team_for_join_or_404(scope=request.scope, join_key=join_key)
    desks = request.session.get(DESK_SESSION_KEY, {})
    if request.method == "POST":
        try:
            services.desk_join(team=team, pin=request.POST.get("pin", ""), user=request.user)
            request.session[DESK_SESSION_KEY] = {**desks, str(team.pk): team.join_key}
            return redirect("live:desk", join_key=join_key)
        except DomainError as exc:
            messages.error(request, exc.message)
    joined = desks.get(str(team.pk)) == team.join_key
    return render_live(request, "live/desk.html", {"team": team, "contest": team.contest, "joined": joined},
                       ws_path=f"/ws/live/desk/{team.join_key}/")
