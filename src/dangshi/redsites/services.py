"""Writes: check-ins, visitor counts, achievements, group-visit bookings, sites."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.redsites import geo
from dangshi.redsites.models import (
    Achievement,
    Booking,
    BookingStatus,
    CheckIn,
    Period,
    Site,
    VisitorCount,
    VisitSlot,
)
from dangshi.redsites.selectors import sites_lit

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org

# Lighting this many distinct sites unlocks an achievement (点亮红色地标).
ACHIEVEMENT_THRESHOLDS = (3, 5, 10)


def _check_coordinates(lat, lng) -> None:
    if lat is None or lng is None:
        return
    if not (-90 <= lat <= 90):
        raise Invalid(_("纬度应在 -90 到 90 之间。"), field="lat")
    if not (-180 <= lng <= 180):
        raise Invalid(_("经度应在 -180 到 180 之间。"), field="lng")


def checkin_create(
    *, member: Member, site: Site, lat: float | None = None, lng: float | None = None,
    today: date | None = None, actor=None,
) -> tuple[CheckIn, bool]:
    """Record the member's check-in at `site` for today; (check-in, created).

    A second check-in the same day returns the first one unchanged (idempotent: a
    member who scans twice, or whose phone retries, is not refused and not counted twice).
    `lat`/`lng` are WGS-84, as the browser's geolocation gives them.
    """
    today = today or timezone.localdate()
    if not site.active:
        raise Refused(_("该资源点暂未开放打卡。"))
    _check_coordinates(lat, lng)
    distance = None
    if lat is not None and lng is not None:
        distance = round(geo.distance_m(lat, lng, site.lat, site.lng))
    if site.geofence_m:
        if distance is None:
            raise Invalid(_("该资源点需要定位打卡,请允许浏览器获取您的位置。"), field="lat")
        if distance > site.geofence_m:
            raise Refused(
                _("您距离%(site)s约 %(d)d 米,超出 %(r)d 米打卡范围,请到现场后再打卡。")
                % {"site": site.name, "d": distance, "r": site.geofence_m},
                code="outside_geofence",
            )
    existing = CheckIn.objects.filter(site=site, member=member, day=today).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                site=site, member=member, org_id=member.org_id, day=today, lat=lat, lng=lng, distance_m=distance
            )
            # `learning` awards points on this event (obj has .member and .site).
            log_event("redsites.checkin.created", actor=actor, obj=checkin, data={"site": site.code, "day": str(today)})
            _award_achievements(member=member, actor=actor)
    except IntegrityError:
        # Two scans raced past the lookup: the unique constraint kept one; return it.
        return CheckIn.objects.get(site=site, member=member, day=today), False
    return checkin, True


def _award_achievements(*, member: Member, actor=None) -> list[Achievement]:
    lit = sites_lit(member=member)
    earned = []
    have = set(Achievement.objects.filter(member=member).values_list("threshold", flat=True))
    for threshold in ACHIEVEMENT_THRESHOLDS:
        if lit >= threshold and threshold not in have:
            achievement = Achievement.objects.create(member=member, threshold=threshold)
            log_event("redsites.achievement.earned", actor=actor, obj=achievement, org=member.org,
                      data={"threshold": threshold})
            earned.append(achievement)
    return earned


def visitor_count(*, site: Site, today: date | None = None, n: int = 1) -> int:
    """Count `n` anonymous visitors at the site today; the day's total."""
    today = today or timezone.localdate()
    if not 1 <= n <= 200:
        raise Invalid(_("人数应在 1 到 200 之间。"), field="n")
    with transaction.atomic():
        row, _created = VisitorCount.objects.get_or_create(site=site, day=today)
        # F() increment: concurrent visitors each add their own, none overwrites another.
        VisitorCount.objects.filter(pk=row.pk).update(count=F("count") + n)
        log_event("redsites.visitors.counted", obj=site, data={"site": site.code, "n": n})
    return VisitorCount.objects.get(pk=row.pk).count


def booking_create(
    *, org: Org, site: Site, day: date, period: str, people: int, topic: str = "", actor=None,
    today: date | None = None,
) -> Booking:
    """Book a group visit. The slot row is locked while its seats are counted, so
    concurrent bookings cannot together exceed the slot's capacity."""
    today = today or timezone.localdate()
    if period not in Period.values:
        raise Invalid(_("请选择场次。"), field="period")
    if day < today:
        raise Invalid(_("不能预约过去的日期。"), field="date")
    if people < 1:
        raise Invalid(_("预约人数至少为 1。"), field="people")
    if not site.active:
        raise Refused(_("该资源点暂不接受预约。"))
    with transaction.atomic():
        slot, _created = VisitSlot.objects.get_or_create(
            site=site, date=day, period=period, defaults={"capacity": site.capacity}
        )
        # Closes the race: two bookings reading the same free seats and both inserting.
        slot = VisitSlot.objects.select_for_update().get(pk=slot.pk)
        taken = slot.bookings.exclude(status=BookingStatus.CANCELLED).aggregate(n=Sum("people"))["n"] or 0
        if taken + people > slot.capacity:
            raise Conflict(
                _("该场次剩余名额 %(left)d 人,不足 %(n)d 人,请选择其他场次。")
                % {"left": max(slot.capacity - taken, 0), "n": people},
                field="people",
            )
        booking = Booking.objects.create(slot=slot, org=org, people=people, topic=topic, booked_by=actor
                                         if getattr(actor, "pk", None) else None)
        log_event("redsites.booking.created", actor=actor, obj=booking,
                  data={"site": site.code, "date": str(day), "period": period, "people": people})
    return booking


def booking_hold(*, booking: Booking, attendees: int, actor=None, today: date | None = None) -> Booking:
    """Mark a booked visit as held; `outreach` records it as an activity (redsites.visit.held)."""
    today = today or timezone.localdate()
    if attendees < 1:
        raise Invalid(_("实到人数至少为 1。"), field="attendees")
    if booking.slot.date > today:
        raise Conflict(_("活动尚未到日期,不能登记为已开展。"))
    with transaction.atomic():
        # Compare-and-set: holding twice (double submit) records one activity, not two.
        changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            status=BookingStatus.HELD, attendees=attendees
        )
        if not changed:
            raise Conflict(_("该预约已登记或已取消。"))
        booking.refresh_from_db()
        log_event("redsites.visit.held", actor=actor, obj=booking,
                  data={"site": booking.site.code, "date": str(booking.date), "attendees": attendees})
    return booking


def booking_cancel(*, booking: Booking, actor=None) -> Booking:
    with transaction.atomic():
        changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CANCELLED
        )
        if not changed:
            raise Conflict(_("该预约已开展或已取消。"))
        booking.refresh_from_db()
        log_event("redsites.booking.cancelled", actor=actor, obj=booking, data={"site": booking.site.code})
    return booking
