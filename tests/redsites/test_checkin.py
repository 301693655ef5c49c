"""Check-ins: once per member per site per day (idempotent), the geofence, achievements,
anonymous visitor counts, and the event learning awards points on."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from dangshi.audit import services as audit
from dangshi.audit.models import AuditEvent
from dangshi.errors import Invalid, Refused
from dangshi.redsites import selectors, services
from dangshi.redsites.models import Achievement, CheckIn, VisitorCount
from tests.redsites.helpers import HERE, site

TODAY = date(2026, 6, 30)


def test_second_checkin_same_day_is_idempotent(world):
    member, s = world.members["member_a"], site(world.branch_a)
    first, created = services.checkin_create(member=member, site=s, today=TODAY)
    again, created_again = services.checkin_create(member=member, site=s, today=TODAY)
    assert created and not created_again
    assert again.pk == first.pk
    assert CheckIn.objects.filter(member=member, site=s).count() == 1
    assert AuditEvent.objects.filter(action="redsites.checkin.created").count() == 1


def test_next_day_is_a_new_checkin(world):
    member, s = world.members["member_a"], site(world.branch_a)
    services.checkin_create(member=member, site=s, today=TODAY)
    _checkin, created = services.checkin_create(member=member, site=s, today=TODAY + timedelta(days=1))
    assert created
    assert CheckIn.objects.filter(member=member, site=s).count() == 2


def test_database_refuses_a_duplicate_checkin_for_the_same_day(world):
    member, s = world.members["member_a"], site(world.branch_a)
    services.checkin_create(member=member, site=s, today=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(site=s, member=member, org=member.org, day=TODAY)


def test_checkin_outside_the_geofence_is_refused_with_the_distance(world):
    s = site(world.branch_a, geofence_m=200)
    # About 1.1 km north of the site.
    with pytest.raises(Refused) as refused:
        services.checkin_create(member=world.members["member_a"], site=s, lat=HERE[0] + 0.01, lng=HERE[1],
                                today=TODAY)
    assert refused.value.code == "outside_geofence"
    assert "超出 200 米打卡范围" in str(refused.value.message)
    assert not CheckIn.objects.exists()


def test_checkin_inside_the_geofence_records_the_distance(world):
    s = site(world.branch_a, geofence_m=200)
    checkin, created = services.checkin_create(member=world.members["member_a"], site=s, lat=HERE[0] + 0.001,
                                               lng=HERE[1], today=TODAY)
    assert created and 100 <= checkin.distance_m <= 120


def test_geofenced_site_needs_a_location(world):
    s = site(world.branch_a, geofence_m=200)
    with pytest.raises(Invalid) as invalid:
        services.checkin_create(member=world.members["member_a"], site=s, today=TODAY)
    assert invalid.value.field == "lat"


def test_checkin_is_filed_under_the_members_org_and_emits_the_points_event(world):
    seen = []

    def handler(event, obj):
        seen.append((obj.member, obj.site))

    audit.subscribe("redsites.checkin.created")(handler)
    try:
        member, s = world.members["member_c"], site(world.branch_a)
        checkin, _created = services.checkin_create(member=member, site=s, today=TODAY)
    finally:
        audit._subscribers.remove(("redsites.checkin.created", handler))
    assert seen == [(member, s)]
    assert checkin.org == world.branch_c
    assert AuditEvent.objects.get(action="redsites.checkin.created").org_path == world.branch_c.path


def test_lighting_three_sites_unlocks_an_achievement_once(world):
    member = world.members["member_a"]
    sites = [site(world.branch_a) for _ in range(3)]
    for s in sites[:2]:
        services.checkin_create(member=member, site=s, today=TODAY)
    assert not Achievement.objects.filter(member=member).exists()
    services.checkin_create(member=member, site=sites[2], today=TODAY)
    services.checkin_create(member=member, site=sites[2], today=TODAY + timedelta(days=1))
    assert list(Achievement.objects.filter(member=member).values_list("threshold", flat=True)) == [3]
    prints = selectors.footprints(member=member)
    assert prints["lit"] == 3 and len(prints["checkins"]) == 4


def test_closed_site_refuses_checkins(world):
    s = site(world.branch_a, active=False)
    with pytest.raises(Refused):
        services.checkin_create(member=world.members["member_a"], site=s, today=TODAY)


def test_anonymous_visitors_are_counted_per_site_per_day(world):
    s = site(world.branch_a)
    services.visitor_count(site=s, today=TODAY)
    assert services.visitor_count(site=s, today=TODAY, n=3) == 4
    services.visitor_count(site=s, today=TODAY + timedelta(days=1))
    assert list(VisitorCount.objects.order_by("day").values_list("count", flat=True)) == [4, 1]
