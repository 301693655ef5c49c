"""Reads of the push channels: pushes and their coverage, the members an item's push reaches,
the broadcast's candidates, playlists and hours."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.learning.models import Item, Playlist, Push, PushReceipt
from dangshi.learning.selectors.content import visible_q
from dangshi.orgs.choices import MemberCategory
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import member_subtree

if TYPE_CHECKING:
    from dangshi.orgs.models import Org

def members_targeted(*, item: Item, org: Org):
    """Active members of `org`'s subtree whom the item's audience includes (the inverse of
    content.audience_q)."""
    qs = member_subtree(root=org)
    if item.audience_path:
        qs = qs.filter(org__path__startswith=item.audience_path)
    if not item.for_all:
        segments = Q(pk__in=[])
        for flag, category in (("for_leaders", MemberCategory.LEADER), ("for_cadres", MemberCategory.CADRE),
                               ("for_ordinary", MemberCategory.ORDINARY)):
            if getattr(item, flag):
                segments |= Q(category=category)
        for flag in ("mobile", "youth", "two_new"):
            if getattr(item, f"for_{flag}"):
                segments |= Q(**{flag: True})
        qs = qs.filter(segments)
    return qs


def push_list(*, scope: Scope) -> QuerySet:
    scope.require_admin()
    return scope.filter(Push.objects.select_related("item", "org")).order_by("-sent_at")


def push_coverage(*, scope: Scope, push_id: int) -> dict:
    """Targeted / delivered / opened for one push, in total and by the org of each member."""

    push = push_list(scope=scope).filter(pk=push_id).first()
    if push is None:
        raise Http404(_("未找到该推送。"))
    rows = (PushReceipt.objects.filter(push=push).values("member__org__name", "member__org__code")
            .annotate(targeted=Count("id"), delivered=Count("delivered_at"), opened=Count("opened_at"))
            .order_by("member__org__code"))
    rows = [{"org": r["member__org__name"], "code": r["member__org__code"], "targeted": r["targeted"],
             "delivered": r["delivered"], "opened": r["opened"]} for r in rows]
    total = {k: sum(r[k] for r in rows) for k in ("targeted", "delivered", "opened")}
    return {"push": push, "rows": rows, "total": total}


def broadcast_candidates(*, day: date, limit: int = 5) -> list[Item]:
    """Public items for the loudspeakers: the day's 党史上的今天, then the newest story and passage."""
    now = datetime.combine(day, datetime.max.time(), timezone.get_current_timezone())
    base = Item.objects.filter(visible_q(now), public=True, for_all=True, audience_path="").select_related("column")
    picked = list(base.filter(column__kind="today", month=day.month, day=day.day).order_by("event_year")[:3])
    for kind in ("story", "daily"):
        picked += list(base.filter(column__kind=kind).order_by("-publish_at")[:1])
    return picked[:limit]


def playlist_list(*, scope: Scope) -> QuerySet:
    scope.require_admin()
    return scope.filter(Playlist.objects.select_related("org")).annotate(seconds=Sum("entries__seconds"))


def playlist_or_404(*, scope: Scope, playlist_id: int):
    playlist = playlist_list(scope=scope).filter(pk=playlist_id).first()
    if playlist is None:
        raise Http404(_("未找到该节目单。"))
    return playlist


def broadcast_hours(*, scope: Scope) -> float:
    seconds = sum((p.seconds or 0) * p.aired_times for p in playlist_list(scope=scope))
    return round(seconds / 3600, 2)
