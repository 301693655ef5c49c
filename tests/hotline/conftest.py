"""Hotline fixtures on top of the shared `world`: a request builder driven through the services."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from dangshi.hotline import services
from dangshi.hotline.models import Channel, Kind, ServiceType
from dangshi.orgs.scope import scope_for

CALLER_NAME = "来电人张三丰"
CALLER_PHONE = "13655556666"


def at(day: int, hour: int = 9, month: int = 3) -> datetime:
    """A fixed local time in 2021 (tests pass clocks explicitly, never mock them)."""
    return timezone.make_aware(datetime(2021, month, day, hour, 0))


class Hotline:
    def __init__(self, world):
        self.w = world
        self.scopes = {}

    def scope(self, persona: str):
        if persona not in self.scopes:
            self.scopes[persona] = scope_for(self.w.users[persona])
        return self.scopes[persona]

    def user(self, persona: str):
        return self.w.users[persona]

    def handler(self, req) -> str:
        return "admin_b" if req.org_id == self.w.branch_b.pk else "admin_a"

    def new(self, *, when=None, service="general", kind=Kind.COMPLAINT, content="小区路灯不亮", name=CALLER_NAME,
            phone=CALLER_PHONE):
        return services.request_create(
            intake_org=self.w.root, channel=Channel.FORM, kind=kind, content=content,
            service=ServiceType.objects.get(code=service), caller_name=name, caller_phone=phone,
            address="测试路1号", now=when or at(1),
        )

    def dispatched(self, *, org=None, when=None, **kw):
        when = when or at(1)
        req = self.new(when=when, **kw)
        return services.request_dispatch(req=req, scope=self.scope("office"), actor=self.user("office"),
                                         org=org or self.w.branch_a, now=when)

    def signed(self, *, when=None, sign_after=timedelta(hours=1), **kw):
        when = when or at(1)
        req = self.dispatched(when=when, **kw)
        who = self.handler(req)
        return services.request_sign(req=req, scope=self.scope(who), actor=self.user(who), now=when + sign_after)

    def replied(self, *, when=None, reply_after=timedelta(days=1), **kw):
        when = when or at(1)
        req = self.signed(when=when, **kw)
        who = self.handler(req)
        return services.request_reply(req=req, scope=self.scope(who), actor=self.user(who), reply="已修复",
                                      now=when + reply_after)

    def called_back(self, *, resolution="resolved", satisfaction="satisfied", when=None, **kw):
        when = when or at(1)
        req = self.replied(when=when, **kw)
        services.request_callback(req=req, scope=self.scope("office"), actor=self.user("office"),
                                  resolution=resolution, satisfaction=satisfaction, now=when + timedelta(days=2))
        req.refresh_from_db()
        return req


@pytest.fixture(autouse=True)
def _services(db):
    """The default services come from a data migration; a transactional test elsewhere may
    have flushed them."""
    services.service_defaults_ensure()


@pytest.fixture
def hot(world) -> Hotline:
    return Hotline(world)
