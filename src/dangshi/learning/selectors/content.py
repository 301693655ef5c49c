"""Reads of learning content: what a member may see, the feed, search, history, offline
activities, points and their rules."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Exists, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.core.provenance import Verification
from dangshi.learning.models import (
    FACT_KINDS,
    ContentPolicy,
    FiveOneKind,
    Item,
    ItemGram,
    ItemStatus,
    LearningColumn,
    OfflineActivity,
    OfflineStatus,
    PointEntry,
    PointRule,
    ReadRecord,
)
from dangshi.learning.textindex import query_grams
from dangshi.orgs.choices import MemberCategory
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import campaign_for, member_of, path_chain

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org

FEED_LATEST = 20
# A feed line needs no text: leave the large columns in the table.
LIST_FIELDS = ("id", "title", "column__code", "column__name", "column__kind", "publish_at", "month", "day",
               "event_year", "number")


def visible_q(now: datetime) -> Q:
    """Published, or scheduled and its time has come (before the scheduler flips it); and
    past review where the column states facts (reviewed_q)."""
    return Q(status__in=(ItemStatus.PUBLISHED, ItemStatus.SCHEDULED), publish_at__lte=now) & reviewed_q()


def unverified_published() -> Exists:
    """True in SQL while the office publishes 未核 content (ContentPolicy): a subquery, so
    asking costs no query of its own. Quiz asks it too, for its questions."""
    return Exists(ContentPolicy.objects.filter(pk=1, publish_unverified=True))


def reviewed_q(prefix: str = "") -> Q:
    """Items members may see as far as review goes: outside the fact columns, 已核, or 未核
    while the office publishes unreviewed content. Returned items never."""
    return (~Q(**{f"{prefix}column__kind__in": FACT_KINDS}) | Q(**{f"{prefix}verification": Verification.VERIFIED})
            | (Q(**{f"{prefix}verification": Verification.UNVERIFIED}) & unverified_published()))


def audience_q(member: Member, org_path: str) -> Q:
    """Items whose audience includes `member` (分众化): any matching segment, within the
    item's org restriction if it has one."""
    segments = Q(for_all=True)
    segments |= Q(**{{MemberCategory.LEADER: "for_leaders", MemberCategory.CADRE: "for_cadres"}.get(
        member.category, "for_ordinary"): True})
    for flag in ("mobile", "youth", "two_new"):
        if getattr(member, flag):
            segments |= Q(**{f"for_{flag}": True})
    return segments & (Q(audience_path="") | Q(audience_path__in=path_chain(org_path)))


def scope_member(scope: Scope) -> Member | None:
    return member_of(scope=scope)


def items_visible(*, scope: Scope, member: Member | None = None, now: datetime | None = None) -> QuerySet[Item]:
    """Published items this user may read: those targeting them as a member, and (for
    office and org admins) those published by an org in reach."""
    now = now or timezone.now()
    reach = Q(pk__in=[])
    if member is not None:
        reach |= audience_q(member, member.org.path)
    if scope.org_paths:
        reach |= scope.org_q("org")
    return Item.objects.filter(visible_q(now)).filter(reach)


def item_search(qs: QuerySet[Item], q: str) -> QuerySet[Item]:
    """Chinese search: candidates from the bigram index (see textindex.py), confirmed by a
    substring match of each word so scattered bigrams do not match."""
    words = q.split()
    if not words:
        return qs
    grams = query_grams(q)
    if grams and all(len(g) >= 2 or g.isascii() for g in grams):
        hits = (ItemGram.objects.filter(gram__in=grams).values("item").annotate(n=Count("gram"))
                .filter(n=len(grams)).values("item"))
        qs = qs.filter(pk__in=hits)
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(plain__icontains=word) | Q(answer__icontains=word)
                       | Q(source__icontains=word))
    return qs


def item_list(*, scope: Scope, column: LearningColumn | None = None, q: str = "",
              now: datetime | None = None) -> QuerySet[Item]:
    qs = items_visible(scope=scope, member=scope_member(scope), now=now)
    if column is not None:
        qs = qs.filter(column=column)
    if q:
        qs = item_search(qs, q.strip()[:60])
    return qs.select_related("column").only(*LIST_FIELDS).order_by("-publish_at", "-id")


def item_or_404(*, scope: Scope, item_id: int, now: datetime | None = None) -> Item:
    item = (items_visible(scope=scope, member=scope_member(scope), now=now).select_related("column", "org")
            .prefetch_related("tags").filter(pk=item_id).first())
    if item is None:
        raise Http404(_("未找到该内容。"))
    return item


def item_audio_or_404(*, scope: Scope, item_id: int) -> Item:
    """An item with a broadcast recording this user may hear: one they may read, or, for
    office users and org admins, one of their orgs' items in any state (to check the
    recording before publication)."""
    qs = items_visible(scope=scope, member=scope_member(scope))
    if scope.org_paths:
        qs = Item.objects.filter(Q(pk__in=qs.values("pk")) | scope.org_q("org"))
    item = qs.exclude(broadcast_audio="").filter(pk=item_id).first()
    if item is None:
        raise Http404(_("未找到该内容的广播录音。"))
    return item


def column_or_404(code: str) -> LearningColumn:
    column = LearningColumn.objects.filter(code=code).first()
    if column is None:
        raise Http404(_("未找到该栏目。"))
    return column


def columns() -> list[LearningColumn]:
    return list(LearningColumn.objects.all())


def feed_today(*, member: Member, now: datetime | None = None) -> dict:
    """The member's feed: 党史上的今天 for today's month-day, the newest items of the other
    columns, and pushes not yet opened. A fixed number of queries whatever the data size."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    mine = (Item.objects.filter(visible_q(now)).filter(audience_q(member, member.org.path)).select_related("column")
            .only(*LIST_FIELDS))
    on_this_day = list(mine.filter(column__kind="today", month=today.month, day=today.day).order_by("event_year"))
    latest = list(mine.exclude(column__kind="today").order_by("-publish_at", "-id")[:FEED_LATEST])
    pushed = list(Item.objects.filter(pushes__receipts__member=member, pushes__receipts__opened_at__isnull=True)
                  .select_related("column").only(*LIST_FIELDS).order_by("-pushes__sent_at")[:10])
    shown = [i.pk for i in on_this_day + latest]
    done = set(ReadRecord.objects.filter(member=member, counted=True, item__in=shown).values_list("item", flat=True))
    return {"today": today, "on_this_day": on_this_day, "latest": latest,
            "pushed": pushed, "done": done}


def read_history(*, member: Member, limit: int = 100) -> QuerySet[ReadRecord]:
    return ReadRecord.objects.filter(member=member).select_related("item__column").order_by("-opened_at")[:limit]


def editorial_list(*, scope: Scope, status: str = "", column: LearningColumn | None = None) -> QuerySet[Item]:
    scope.require_admin()
    qs = scope.filter(Item.objects.all()).select_related("column", "org")
    if status:
        qs = qs.filter(status=status)
    if column is not None:
        qs = qs.filter(column=column)
    return qs.order_by("-updated_at")


def editorial_item_or_404(*, scope: Scope, item_id: int) -> Item:
    scope.require_admin()
    item = scope.filter(Item.objects.select_related("column", "org")).filter(pk=item_id).first()
    if item is None:
        raise Http404(_("未找到该内容。"))
    return item


def public_items(*, column: LearningColumn, now: datetime | None = None, limit: int = 50) -> QuerySet[Item]:
    """For feeds: public, published, meant for everyone (no segment or org restriction)."""
    return (Item.objects.filter(visible_q(now or timezone.now()), column=column, public=True, for_all=True,
                                audience_path="").select_related("org").order_by("-publish_at", "-id")[:limit])


# Which catalogue reads count towards which 五个一 requirement.
FIVE_ONE_OF_COLUMN = {"book": FiveOneKind.BOOK, "film": FiveOneKind.FILM, "song": FiveOneKind.SONG,
                      "video": FiveOneKind.VIDEO}
TIMED_KINDS = {"film", "song", "video", "lesson"}


def required_seconds(item: Item) -> int:
    """How long a read must last to count: proportional to the text's length (between a
    floor and a ceiling), or a share of the duration for a video or song."""
    if item.column.kind in TIMED_KINDS and item.duration_seconds:
        return int(item.duration_seconds * settings.LEARNING_WATCH_RATIO)
    per_100 = settings.LEARNING_READ_SECONDS_PER_100_CHARS
    floor, ceiling = settings.LEARNING_READ_MIN_SECONDS, settings.LEARNING_READ_MAX_SECONDS
    return max(floor, min(ceiling, (len(item.plain) + len(item.answer)) * per_100 // 100))


# -- offline activities -------------------------------------------------------------------

def offline_mine(*, member: Member) -> QuerySet[OfflineActivity]:
    return OfflineActivity.objects.filter(member=member).order_by("-day", "-id")


def _offline_in_reach(scope: Scope) -> QuerySet[OfflineActivity]:
    """Reports of members in the orgs this admin reaches (404 for everyone else)."""
    scope.require_admin()
    return scope.filter(OfflineActivity.objects.select_related("member__org"), org_field="member__org")


def offline_pending(*, scope: Scope) -> QuerySet[OfflineActivity]:
    return _offline_in_reach(scope).filter(status=OfflineStatus.REPORTED).order_by("day", "id")


def offline_pending_or_404(*, scope: Scope, offline_id: int) -> OfflineActivity:
    """A report still waiting for its branch's decision (404 once decided, or out of reach)."""
    activity = offline_pending(scope=scope).filter(pk=offline_id).first()
    if activity is None:
        raise Http404(_("未找到该记录。"))
    return activity


def offline_or_404(*, scope: Scope, offline_id: int) -> OfflineActivity:
    activity = _offline_in_reach(scope).filter(pk=offline_id).first()
    if activity is None:
        raise Http404(_("未找到该记录。"))
    return activity


# -- points -----------------------------------------------------------------------------

# The events that award points: action → rule code (services/reading.py subscribes a handler to each).
SUBSCRIPTIONS = {
    "learning.read.finished": "read",
    "quiz.attempt.finished": "quiz",
    "redsites.checkin.created": "checkin",
    "outreach.attendance.signed": "attend",
}

def points_total(*, member: Member) -> int:
    return PointEntry.objects.filter(member=member).aggregate(s=Sum("points"))["s"] or 0


def points_ledger(*, member: Member, limit: int = 100) -> QuerySet[PointEntry]:
    return PointEntry.objects.filter(member=member).select_related("rule").order_by("-created_at", "-id")[:limit]


def point_rules() -> list[PointRule]:
    """Every rule, each with `source`: the event that awards it ("" for a rule no
    subscriber awards yet)."""
    sources = {code: action for action, code in SUBSCRIPTIONS.items()}
    rules = list(PointRule.objects.order_by("code"))
    for rule in rules:
        rule.source = sources.get(rule.code, "")
    return rules


def point_rule_or_404(rule_id: int) -> PointRule:
    rule = PointRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise Http404(_("未找到该积分规则。"))
    return rule


def points_ranking(*, scope: Scope, org: Org, limit: int = 50) -> list[dict]:
    if not scope.reaches(org):
        raise Http404(_("未找到该组织。"))
    rows = (PointEntry.objects.filter(member__org__path__startswith=org.path, member__active=True)
            .values("member_id", "member__name", "member__org__name").annotate(points=Sum("points"))
            .order_by("-points", "member_id")[:limit])
    return [{"member_id": r["member_id"], "name": r["member__name"], "org": r["member__org__name"],
             "points": r["points"]} for r in rows]


def may_edit(scope: Scope) -> bool:
    """An office user reaching the current campaign's root (a root office user where no
    campaign is set up yet)."""
    if not scope.is_office:
        return False
    campaign = campaign_for(org=scope.home_org)
    return scope.reaches(campaign.root) if campaign else scope.is_root_office


# -- review of provenance -------------------------------------------------------------


def review_items(*, scope: Scope, verification: str = "") -> QuerySet[Item]:
    """The fact-column items the office reviews (内容审核), in reach; 404 for anyone else."""
    scope.require_office()
    qs = scope.filter(Item.objects.filter(column__kind__in=FACT_KINDS)).select_related("column")
    if verification:
        qs = qs.filter(verification=verification)
    return qs.order_by("column__position", "month", "day", "id")


def review_item_or_404(*, scope: Scope, item_id: int) -> Item:
    item = review_items(scope=scope).select_related("org").filter(pk=item_id).first()
    if item is None:
        raise Http404(_("未找到该内容。"))
    return item


def review_counts(*, scope: Scope) -> dict[str, int]:
    rows = review_items(scope=scope).order_by().values("verification").annotate(n=Count("id"))
    return {r["verification"]: r["n"] for r in rows}


def content_policy() -> ContentPolicy:
    return ContentPolicy.objects.filter(pk=1).first() or ContentPolicy(pk=1)
