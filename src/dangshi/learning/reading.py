"""Writes for reading records, offline activities and the points ledger, and the
subscribers that turn other modules' events into points."""

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event, subscribe
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.learning.models import (
    Activity,
    FiveOneKind,
    Item,
    OfflineActivity,
    OfflineStatus,
    PointEntry,
    PointRule,
    PushReceipt,
    ReadRecord,
)
from dangshi.orgs.models import Member
from dangshi.orgs.scope import Scope

# Which catalogue reads count towards which 五个一 requirement.
FIVE_ONE_OF_COLUMN = {"book": FiveOneKind.BOOK, "film": FiveOneKind.FILM, "song": FiveOneKind.SONG,
                      "video": FiveOneKind.VIDEO}
TIMED_KINDS = {"film", "song", "video", "lesson"}


def _setting(name: str, default):
    return getattr(settings, name, default)


def required_seconds(item: Item) -> int:
    """How long a read must last to count: proportional to the text's length (between a
    floor and a ceiling), or a share of the duration for a video or song."""
    if item.column.kind in TIMED_KINDS and item.duration_seconds:
        return int(item.duration_seconds * _setting("LEARNING_WATCH_RATIO", 0.8))
    per_100 = _setting("LEARNING_READ_SECONDS_PER_100_CHARS", 6)
    floor, ceiling = _setting("LEARNING_READ_MIN_SECONDS", 10), _setting("LEARNING_READ_MAX_SECONDS", 180)
    return max(floor, min(ceiling, (len(item.plain) + len(item.answer)) * per_100 // 100))


def read_start(*, member: Member, item: Item, now: datetime | None = None) -> ReadRecord:
    """Precondition: the caller found `item` through a selector that checks the member may see it."""
    now = now or timezone.now()
    with transaction.atomic():
        record = ReadRecord.objects.create(member=member, item=item, opened_at=now)
        # Opening a pushed item acknowledges the push (千里送学 coverage).
        PushReceipt.objects.filter(member=member, push__item=item, opened_at__isnull=True).update(opened_at=now)
        log_event("learning.read.started", actor=member.user, obj=record, org=member.org, data={"item": item.pk})
    return record


def read_finish(*, member: Member, item: Item, now: datetime | None = None,
                watched_seconds: int | None = None) -> ReadRecord:
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the open record: a double "finish" must not count the read twice.
        record = (ReadRecord.objects.select_for_update().filter(member=member, item=item, finished_at__isnull=True)
                  .order_by("-opened_at").first())
        if record is None:
            raise Conflict(_("请先打开这篇内容。"))
        elapsed = max(0, int((now - record.opened_at).total_seconds()))
        if item.column.kind in TIMED_KINDS and item.duration_seconds:
            # A video counts by what was watched, never more than the time it was open.
            elapsed = min(elapsed, watched_seconds or 0)
        record.finished_at, record.seconds = now, elapsed
        already = ReadRecord.objects.filter(member=member, item=item, counted=True).exists()
        record.counted = elapsed >= required_seconds(item) and not already
        try:
            with transaction.atomic():
                record.save(update_fields=["finished_at", "seconds", "counted"])
        except IntegrityError:  # a concurrent finish counted it first
            record.counted = False
            record.save(update_fields=["finished_at", "seconds", "counted"])
        if record.counted and item.column.kind in FIVE_ONE_OF_COLUMN:
            Activity.objects.create(member=member, kind=FIVE_ONE_OF_COLUMN[item.column.kind],
                                    day=timezone.localdate(now), read=record)
        log_event("learning.read.finished", actor=member.user, obj=record, org=member.org,
                  data={"item": item.pk, "seconds": elapsed, "counted": record.counted})
    return record


def offline_report(*, member: Member, kind: str, title: str, day: date, evidence=None,
                   today: date | None = None) -> OfflineActivity:
    today = today or timezone.localdate()
    if kind not in FiveOneKind.values:
        raise Invalid(_("类别无效。"), field="kind")
    if not title.strip():
        raise Invalid(_("请填写名称。"), field="title")
    if day > today:
        raise Invalid(_("日期不能晚于今天。"), field="day")
    with transaction.atomic():
        activity = OfflineActivity.objects.create(member=member, kind=kind, title=title.strip()[:200], day=day,
                                                  evidence=evidence or "")
        log_event("learning.offline.reported", actor=member.user, obj=activity, org=member.org, data={"kind": kind})
    return activity


def offline_review(*, scope: Scope, actor, activity: OfflineActivity, approve: bool) -> OfflineActivity:
    """The branch confirms (or rejects) a self-reported activity; a confirmed one counts for 五个一."""
    if not (scope.is_admin and scope.reaches(activity.member.org)):
        raise Refused(_("只有所在支部可以确认。"))
    to = OfflineStatus.CONFIRMED if approve else OfflineStatus.REJECTED
    with transaction.atomic():
        # Compare-and-set: two reviewers cannot both decide (and count it twice).
        if not OfflineActivity.objects.filter(pk=activity.pk, status=OfflineStatus.REPORTED).update(
                status=to, reviewed_by=actor):
            raise Conflict(_("该记录已处理。"))
        activity.refresh_from_db()
        if approve:
            Activity.objects.create(member=activity.member, kind=activity.kind, day=activity.day, offline=activity)
        log_event(f"learning.offline.{to}", actor=actor, obj=activity, org=activity.member.org, data={"kind": activity.kind})
    return activity


def points_award(*, member: Member, rule_code: str, cause_type: str, cause_id: str, now: datetime | None = None,
                 event_id: int | None = None) -> PointEntry | None:
    """Append one ledger entry for `cause`, within the rule's daily and total caps; None when
    the rule is off, a cap is reached, or this cause has already paid."""
    now = now or timezone.now()
    rule = PointRule.objects.filter(code=rule_code, active=True).first()
    if rule is None:
        return None
    day = timezone.localdate(now)
    with transaction.atomic():
        # Lock the member row: two awards at once must not both fit under the same cap.
        Member.objects.select_for_update().filter(pk=member.pk).first()
        mine = PointEntry.objects.filter(member=member, rule=rule)
        if mine.filter(cause_type=cause_type, cause_id=str(cause_id)).exists():
            return None
        grant = rule.points
        if rule.daily_cap is not None:
            grant = min(grant, rule.daily_cap - (mine.filter(day=day).aggregate(s=Sum("points"))["s"] or 0))
        if rule.total_cap is not None:
            grant = min(grant, rule.total_cap - (mine.aggregate(s=Sum("points"))["s"] or 0))
        if grant <= 0:
            return None
        entry = PointEntry.objects.create(member=member, rule=rule, points=grant, day=day, created_at=now,
                                          cause_type=cause_type, cause_id=str(cause_id), event_id=event_id)
        log_event("learning.points.awarded", obj=entry, org=member.org,
                  data={"rule": rule.code, "points": grant, "cause": f"{cause_type}:{cause_id}"})
    return entry


# -- subscribers (registered in LearningConfig.ready) ------------------------------------

def _award_from_event(rule_code: str):
    def handler(event, obj):
        member = getattr(obj, "member", None)
        if member is None:
            return
        if rule_code == "read":
            if not getattr(obj, "counted", False):
                return
            now = obj.finished_at
        else:
            now = timezone.now()
        points_award(member=member, rule_code=rule_code, cause_type=event.object_type, cause_id=event.object_id,
                     now=now, event_id=event.pk)

    handler.__name__ = f"learning_points_{rule_code}"
    return handler


SUBSCRIPTIONS = {
    "learning.read.finished": "read",
    "quiz.attempt.finished": "quiz",
    "redsites.checkin.created": "checkin",
    "outreach.attendance.signed": "attend",
}
_HANDLERS = {action: _award_from_event(code) for action, code in SUBSCRIPTIONS.items()}


def register_subscribers() -> None:
    for action, handler in _HANDLERS.items():
        subscribe(action)(handler)
