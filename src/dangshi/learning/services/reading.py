"""Writes for reading records, offline activities and the points ledger, and the
subscribers that turn other modules' events into points."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event, subscribe
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.learning import uploads
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
from dangshi.learning.selectors.content import (
    FIVE_ONE_OF_COLUMN,
    SUBSCRIPTIONS,
    TIMED_KINDS,
    required_seconds,
)
from dangshi.learning.services import rules
from dangshi.orgs.scope import Scope

if TYPE_CHECKING:
    from dangshi.orgs.models import Member

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
    if evidence:
        # Stored under the extension its content calls for, never the uploaded name.
        evidence.name = f"evidence.{uploads.image_check(evidence, field='evidence')}"
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
    the rule is off, a cap is reached, or this cause has already paid.

    Two statements, because it runs inside every quiz submission (issue #3): the first reads
    the rule afresh (an office change applies to the next award) and locks the member's row,
    so that two awards at once cannot both fit under the same cap; the second is one
    INSERT … SELECT that computes the grant under the caps and skips a cause already paid.
    It must be a second statement: in PostgreSQL's READ COMMITTED a statement reads the rows
    committed when it started, so only a statement begun after the lock sees a competitor's entry.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    # Inside a caller's transaction no savepoint is needed: an error here fails the caller's
    # transaction anyway. Called on its own, this is the transaction that holds the lock.
    with transaction.atomic(savepoint=False):
        rule = _rule_locking_member(rule_code=rule_code, member_id=member.pk)
        if rule is None:
            return None
        row = _insert_within_caps(rule=rule, member_id=member.pk, day=day, now=now, cause_type=cause_type,
                                  cause_id=str(cause_id), event_id=event_id)
        if row is None:
            return None
        entry = PointEntry(id=row[0], member=member, rule=rule, points=row[1], day=day, created_at=now,
                           cause_type=cause_type, cause_id=str(cause_id), event_id=event_id)
        log_event("learning.points.awarded", obj=entry, org=member.org,
                  data={"rule": rule.code, "points": entry.points, "cause": f"{cause_type}:{cause_id}"})
    return entry


RULE_FIELDS = ["id", *rules.FIELDS]


def _rule_locking_member(*, rule_code: str, member_id: int) -> PointRule | None:
    """The active rule, with the member's row locked (FOR NO KEY UPDATE: it does not wait on
    the key-share locks other tables' foreign keys take). SQLite needs no lock: its IMMEDIATE
    transactions already serialise writers."""
    # The member table through the ledger's foreign key: orgs publishes no model to import.
    rule_table = PointRule._meta.db_table
    member_table = PointEntry._meta.get_field("member").related_model._meta.db_table
    lock = " FOR NO KEY UPDATE OF m" if connection.features.has_select_for_no_key_update else ""
    sql = f"""
        SELECT {", ".join(f"r.{name}" for name in RULE_FIELDS)}
        FROM {rule_table} r JOIN {member_table} m ON m.id = %s
        WHERE r.code = %s AND r.active{lock}
    """  # noqa: S608 - table names come from the models; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [member_id, rule_code])
        row = cursor.fetchone()
    return PointRule.from_db(connection.alias, RULE_FIELDS, row) if row else None


def _insert_within_caps(*, rule: PointRule, member_id: int, day: date, now: datetime, cause_type: str,
                        cause_id: str, event_id: int | None) -> tuple[int, int] | None:
    """INSERT … SELECT of the grant: the rule's points, less what each cap has left; nothing
    when that is not positive or the cause has paid already. Returns (id, points) or None."""
    table = PointEntry._meta.db_table
    day_value = connection.ops.adapt_datefield_value(day)
    # What a cap leaves: the cap less the member's points under the rule (that day, or ever).
    left_under = f"SELECT %s - COALESCE(SUM(points), 0) FROM {table} WHERE member_id = %s AND rule_id = %s"  # noqa: S608
    left = ["SELECT %s AS n"]
    params: list = [rule.points]
    if rule.daily_cap is not None:
        left.append(left_under + " AND day = %s")
        params += [rule.daily_cap, member_id, rule.pk, day_value]
    if rule.total_cap is not None:
        left.append(left_under)
        params += [rule.total_cap, member_id, rule.pk]
    sql = f"""
        INSERT INTO {table} (member_id, rule_id, points, day, created_at, cause_type, cause_id, event_id)
        SELECT %s, %s, g.n, %s, %s, %s, %s, %s
        FROM (SELECT MIN(n) AS n FROM ({" UNION ALL ".join(left)}) caps) g
        WHERE g.n > 0 AND NOT EXISTS (
            SELECT 1 FROM {table} WHERE member_id = %s AND rule_id = %s AND cause_type = %s AND cause_id = %s)
        RETURNING id, points
    """  # noqa: S608 - the table name comes from the model; every value is a parameter
    created = connection.ops.adapt_datetimefield_value(now)
    params = [member_id, rule.pk, day_value, created, cause_type, cause_id, event_id, *params,
              member_id, rule.pk, cause_type, cause_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


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


_HANDLERS = {action: _award_from_event(code) for action, code in SUBSCRIPTIONS.items()}


def register_subscribers() -> None:
    for action, handler in _HANDLERS.items():
        subscribe(action)(handler)
