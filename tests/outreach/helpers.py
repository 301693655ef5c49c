"""Builders for outreach test data, through the real services."""

from datetime import datetime

from django.utils import timezone

from dangshi.orgs.scope import scope_for
from dangshi.outreach import services
from dangshi.outreach.models import ActivityKind, VenueKind


def at(y, m, d, hh=9, mm=0) -> datetime:
    return timezone.make_aware(datetime(y, m, d, hh, mm))


def venue(code="community") -> VenueKind:
    return VenueKind.objects.get(code=code)


def session(w, *, persona="admin_a", org=None, covered=(), when=None, topic="百年党史中的初心使命", **kw):
    user = w.users[persona]
    return services.session_create(
        scope=scope_for(user), actor=user, org=org or w.branch_a, starts_at=when or timezone.now(), venue_kind=venue(),
        place="党群服务中心", topic=topic, covered_orgs=covered, **kw,
    )


def activity(w, *, persona="admin_a", org=None, when=None, kind=ActivityKind.NIGHT_STUDY, minutes=30, title="周四夜学"):
    user = w.users[persona]
    return services.activity_create(scope=scope_for(user), actor=user, org=org or w.branch_a, kind=kind, title=title,
                                    starts_at=when or timezone.now(), place="支部活动室", signin_minutes=minutes)


def lecturer(w, *, persona="admin_a", org=None, name="王宣讲", appoint=False):
    user = w.users[persona]
    scope = scope_for(user)
    lect = services.lecturer_create(scope=scope, actor=user, org=org or w.branch_a, name=name, specialty="百年党史")
    if appoint:
        lect = services.lecturer_appoint(scope=scope, actor=user, lecturer=lect, on=timezone.localdate())
    return lect


def campaign(w):
    from datetime import date

    from dangshi.orgs.models import Campaign

    today = timezone.localdate()
    return Campaign.objects.get_or_create(name="党史学习教育", root=w.root,
                                          defaults={"starts_on": date(today.year, 1, 1), "ends_on": date(today.year, 12, 31)})[0]


def group(w, *, persona="admin_a", org=None, name="支部宣讲小组", zone=()):
    user = w.users[persona]
    return services.group_create(scope=scope_for(user), actor=user, campaign=campaign(w), org=org or w.branch_a, name=name,
                                 zone=zone)
