"""Reads of learning content: what a member may see, the feed, search, history, points,
and the module contracts for `reports` and `supervision` (see core/contracts.py)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangshi.core.contracts import AgendaItem, Fact
from dangshi.core.provenance import Verification
from dangshi.learning.models import (
    FACT_KINDS,
    ContentPolicy,
    Item,
    ItemGram,
    ItemStatus,
    LearningColumn,
    OfflineActivity,
    OfflineStatus,
    PointEntry,
    PointRule,
    PushReceipt,
    ReadRecord,
)
from dangshi.learning.textindex import query_grams
from dangshi.orgs.models import Member, MemberCategory, Org
from dangshi.orgs.scope import Scope

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


def ancestor_paths(path: str) -> list[str]:
    step = settings.ORG_PATH_STEP
    return [path[:i] for i in range(step, len(path) + 1, step)]


def audience_q(member: Member, org_path: str) -> Q:
    """Items whose audience includes `member` (分众化): any matching segment, within the
    item's org restriction if it has one."""
    segments = Q(for_all=True)
    segments |= Q(**{{MemberCategory.LEADER: "for_leaders", MemberCategory.CADRE: "for_cadres"}.get(
        member.category, "for_ordinary"): True})
    for flag in ("mobile", "youth", "two_new"):
        if getattr(member, flag):
            segments |= Q(**{f"for_{flag}": True})
    return segments & (Q(audience_path="") | Q(audience_path__in=ancestor_paths(org_path)))


def scope_member(scope: Scope) -> Member | None:
    if not scope.is_member:
        return None
    return Member.objects.select_related("org").filter(pk=scope.member_id).first()


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


def today_in_history(*, month: int, day: int, now: datetime | None = None) -> QuerySet[Item]:
    return Item.objects.filter(visible_q(now or timezone.now()), column__kind="today", month=month, day=day)


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


# -- offline activities -------------------------------------------------------------------

def offline_mine(*, member: Member) -> QuerySet[OfflineActivity]:
    return OfflineActivity.objects.filter(member=member).order_by("-day", "-id")


def _offline_in_reach(scope: Scope) -> QuerySet[OfflineActivity]:
    """Reports of members in the orgs this admin reaches (404 for everyone else)."""
    scope.require_admin()
    return scope.filter(OfflineActivity.objects.select_related("member__org"), org_field="member__org")


def offline_pending(*, scope: Scope) -> QuerySet[OfflineActivity]:
    return _offline_in_reach(scope).filter(status=OfflineStatus.REPORTED).order_by("day", "id")


def offline_or_404(*, scope: Scope, offline_id: int) -> OfflineActivity:
    activity = _offline_in_reach(scope).filter(pk=offline_id).first()
    if activity is None:
        raise Http404(_("未找到该记录。"))
    return activity


# -- points -----------------------------------------------------------------------------

def points_total(*, member: Member) -> int:
    return PointEntry.objects.filter(member=member).aggregate(s=Sum("points"))["s"] or 0


def points_ledger(*, member: Member, limit: int = 100) -> QuerySet[PointEntry]:
    return PointEntry.objects.filter(member=member).select_related("rule").order_by("-created_at", "-id")[:limit]


def point_rules() -> list[PointRule]:
    """Every rule, each with `source`: the event that awards it ("" for a rule no
    subscriber awards yet)."""
    from dangshi.learning.reading import SUBSCRIPTIONS

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


# -- module contracts ----------------------------------------------------------------------

ROLLUP_METRICS = {
    "learning.reads": gettext_lazy("学习人次"),
    "learning.points": gettext_lazy("学习积分"),
    "learning.five_ones_members": gettext_lazy("五个一达标人数"),
    "learning.five_ones_assessed": gettext_lazy("五个一考核人数"),
}


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.combine(start, datetime.min.time(), tz), datetime.combine(end + timedelta(days=1),
                                                                               datetime.min.time(), tz))


def rollup_facts(*, start: date, end: date, root_path: str = ""):
    from dangshi.learning.fiveones import Period, compliance_by_org

    lo, hi = _window(start, end)
    reads = (ReadRecord.objects.filter(counted=True, finished_at__gte=lo, finished_at__lt=hi,
                                       member__org__path__startswith=root_path)
             .values("member__org__path").annotate(n=Count("id")))
    for r in reads:
        yield Fact(r["member__org__path"], "learning.reads", r["n"])
    points = (PointEntry.objects.filter(day__range=(start, end), member__org__path__startswith=root_path)
              .values("member__org__path").annotate(n=Sum("points")))
    for r in points:
        yield Fact(r["member__org__path"], "learning.points", r["n"])
    for path, (assessed, compliant) in compliance_by_org(root_path=root_path,
                                                         period=Period("custom", start, end)).items():
        yield Fact(path, "learning.five_ones_assessed", assessed)
        yield Fact(path, "learning.five_ones_members", compliant)


AGENDA_THRESHOLD = 0.5


def agenda_items(*, root: Org, week_start: date, week_end: date) -> list[AgendaItem]:
    """Branches where fewer than half the members met 五个一 for the week."""
    from django.urls import reverse

    from dangshi.learning.fiveones import Period, compliance_by_org

    by_path = compliance_by_org(root_path=root.path, period=Period("custom", week_start, week_end))
    low = {p: v for p, v in by_path.items() if v[0] and v[1] / v[0] < AGENDA_THRESHOLD}
    orgs = Org.objects.filter(path__in=low, grassroots=True).order_by("path")
    out = []
    for org in orgs[:30]:
        assessed, compliant = low[org.path]
        out.append(AgendaItem(
            module="learning", kind="five_ones_low", org_id=org.pk, org_name=org.name,
            title=_("%(org)s 五个一达标率 %(rate)d%%") % {"org": org.name, "rate": round(100 * compliant / assessed)},
            url=reverse("learning:console_five_ones") + f"?org={org.code}&period=custom:{week_start}:{week_end}",
            detail=_("达标 %(c)d / %(n)d 人") % {"c": compliant, "n": assessed},
        ))
    return out


def member_figures(*, member: Member, start: date, end: date) -> dict[str, object]:
    from dangshi.learning.fiveones import Period, member_compliance

    lo, hi = _window(start, end)
    reads = ReadRecord.objects.filter(member=member, counted=True, finished_at__gte=lo, finished_at__lt=hi).count()
    points = PointEntry.objects.filter(member=member, day__range=(start, end)).aggregate(s=Sum("points"))["s"] or 0
    five = member_compliance(member=member, period=Period("custom", start, end))
    return {"学习篇数": reads, "学习积分": points, "五个一达标": "是" if five["compliant"] else "否"}


# -- channels -------------------------------------------------------------------------------

def push_list(*, scope: Scope) -> QuerySet:
    from dangshi.learning.models import Push

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
    from dangshi.learning.models import Playlist

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
