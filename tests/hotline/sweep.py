from datetime import datetime

from django.utils import timezone

from tests.sweep import Param


def _request(w):
    """A request dispatched to 支部A (admin_a's org), received at the root."""
    def make():
        from dangshi.hotline import services
        from dangshi.hotline.models import Channel, Kind, ServiceType
        from dangshi.orgs.scope import scope_for

        services.service_defaults_ensure()  # a transactional test may have flushed the seeded ones
        req = services.request_create(
            intake_org=w.root, channel=Channel.FORM, kind=Kind.HELP, content="楼道灯坏了",
            service=ServiceType.objects.get(code="general"), caller_name="哨兵甲乙丙", caller_phone="13912345678",
            now=timezone.make_aware(datetime(2021, 3, 1, 9)),
        )
        return services.request_dispatch(req=req, scope=scope_for(w.users["office"]), actor=w.users["office"],
                                         org=w.branch_a, now=timezone.make_aware(datetime(2021, 3, 1, 10)))

    return w.once("hotline.request", make)


PARAMS = {
    # Every route on one request, 转为实事 included (console/requests/<id>/matter/ and
    # POST /api/v1/hotline/requests/{id}/matter): admin_a (the handling org) reaches it.
    "request_id": Param(lambda w: _request(w).pk),
    "report_token": Param(lambda w: "expired-token", owner=None),
    "o311_format": Param(lambda w: "json", owner=None),
    "service_code": Param(lambda w: "general", owner=None),
    "service_request_id": Param(lambda w: _request(w).number, owner=None),
    "o311_token": Param(lambda w: "no-such-token", owner=None),
}
PUBLIC = {
    "hotline:public_form",
    "open311_discovery", "open311_services", "open311_service", "open311_requests", "open311_request",
    "open311_token",
}
