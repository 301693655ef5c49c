"""Group visits: capacity per slot (also under 20 concurrent bookings on PostgreSQL),
holding a visit (the event `outreach` records), scoping."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection

from dangshi.audit import services as audit
from dangshi.errors import Conflict, Invalid
from dangshi.redsites import services
from dangshi.redsites.models import Booking, BookingStatus, VisitSlot
from tests.redsites.helpers import site

TODAY = date(2026, 6, 1)
DAY = TODAY + timedelta(days=7)


def _book(world, s, people, org=None, **kw):
    return services.booking_create(org=org or world.branch_a, site=s, day=DAY, period="am", people=people,
                                   today=TODAY, **kw)


def test_a_full_slot_refuses_the_next_booking(world):
    s = site(world.branch_a, capacity=50)
    _book(world, s, 30)
    _book(world, s, 20, org=world.branch_b)
    with pytest.raises(Conflict) as conflict:
        _book(world, s, 1)
    assert "剩余名额 0 人" in str(conflict.value.message)
    # the afternoon slot of the same day is separate
    services.booking_create(org=world.branch_a, site=s, day=DAY, period="pm", people=50, today=TODAY)
    assert VisitSlot.objects.filter(site=s).count() == 2


def test_cancelled_bookings_free_their_seats(world):
    s = site(world.branch_a, capacity=40)
    booking = _book(world, s, 40)
    services.booking_cancel(booking=booking)
    assert _book(world, s, 40).status == BookingStatus.BOOKED


def test_booking_the_past_or_an_unknown_period_is_invalid(world):
    s = site(world.branch_a)
    with pytest.raises(Invalid):
        services.booking_create(org=world.branch_a, site=s, day=TODAY - timedelta(days=1), period="am", people=5,
                                today=TODAY)
    with pytest.raises(Invalid):
        services.booking_create(org=world.branch_a, site=s, day=DAY, period="night", people=5, today=TODAY)


def test_holding_a_visit_emits_the_event_outreach_records(world):
    seen = []

    def handler(event, obj):
        seen.append((obj.org, obj.site, obj.date, obj.attendees))

    s = site(world.branch_a)
    booking = _book(world, s, 30)
    audit.subscribe("redsites.visit.held")(handler)
    try:
        services.booking_hold(booking=booking, attendees=28, today=DAY)
    finally:
        audit._subscribers.remove(("redsites.visit.held", handler))
    assert seen == [(world.branch_a, s, DAY, 28)]
    with pytest.raises(Conflict):  # a double submit records one activity, not two
        services.booking_hold(booking=booking, attendees=28, today=DAY)


def test_a_visit_cannot_be_held_before_its_date(world):
    booking = _book(world, site(world.branch_a), 10)
    with pytest.raises(Conflict):
        services.booking_hold(booking=booking, attendees=10, today=TODAY)


def test_console_booking_and_hold_are_scoped_to_the_booking_org(world):
    s = site(world.branch_a, capacity=30)
    admin_a = world.client("admin_a")
    response = admin_a.post("/redsites/console/bookings/", {"org": "BRA", "site": s.pk, "date": "2099-01-05",
                                                            "period": "pm", "people": 12, "topic": "支部A主题党日"})
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.org == world.branch_a and booking.people == 12
    # admin_b may not book for 支部A, nor see or hold its booking.
    admin_b = world.client("admin_b")
    admin_b.post("/redsites/console/bookings/", {"org": "BRA", "site": s.pk, "date": "2099-01-05", "period": "pm",
                                                 "people": 1})
    assert Booking.objects.count() == 1
    assert "支部A主题党日" not in admin_b.get("/redsites/console/bookings/").content.decode()
    assert admin_b.post(f"/redsites/console/bookings/{booking.pk}/hold/", {"attendees": 12}).status_code == 404
    assert "支部A主题党日" in admin_a.get("/redsites/console/bookings/").content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_full_slot_refuses_the_next_booking_under_20_concurrent_attempts(world):
    """Capacity 100, twenty orgs each asking for 10 seats at once: exactly ten get in."""
    s = site(world.branch_a, capacity=100)
    barrier = threading.Barrier(20)
    results: list[str] = []
    lock = threading.Lock()

    def attempt():
        try:
            barrier.wait()
            services.booking_create(org=world.branch_b, site=s, day=DAY, period="am", people=10, today=TODAY)
            outcome = "ok"
        except Conflict:
            outcome = "full"
        except Exception as exc:  # noqa: BLE001 - reported in the assertion below
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["full"] * 10 + ["ok"] * 10, results
    assert VisitSlot.objects.filter(site=s).count() == 1
    assert sum(Booking.objects.filter(slot__site=s).values_list("people", flat=True)) == 100
