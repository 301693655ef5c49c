"""The state machine: every step writes an update row; returns are capped; extensions need
approval; overdue requests are flagged and escalated."""

from datetime import timedelta

import pytest

from dangshi.errors import Conflict, Refused
from dangshi.hotline import services
from dangshi.hotline.models import Action, Extension, State
from dangshi.hotline.selectors import agenda_items, request_overdue
from tests.hotline.conftest import at


def test_full_life_writes_one_update_per_step(hot):
    req = hot.called_back()
    services.request_close(req=req, scope=hot.scope("office"), actor=hot.user("office"), now=at(5))
    req.refresh_from_db()
    assert req.state == State.CLOSED
    actions = list(req.updates.values_list("action", "state"))
    assert actions == [
        (Action.RECEIVE, State.RECEIVED), (Action.DISPATCH, State.DISPATCHED), (Action.SIGN, State.SIGNED),
        (Action.REPLY, State.REPLIED), (Action.CALLBACK, State.CALLBACK), (Action.CLOSE, State.CLOSED),
    ]
    assert all(u.at for u in req.updates.all())
    assert req.updates.get(action=Action.SIGN).actor == hot.user("admin_a")


def test_dispatch_starts_the_clock_by_service_type(hot):
    emergency = hot.dispatched(service="emergency", when=at(1, 9))
    water = hot.dispatched(service="water", when=at(1, 9))
    general = hot.dispatched(service="general", when=at(1, 9))
    complex_ = hot.dispatched(service="complex", when=at(1, 9))
    assert emergency.due_at == at(1, 11)
    assert water.due_at == at(2, 9)
    assert general.due_at == at(8, 9)
    assert complex_.due_at == at(16, 9)


def test_time_limits_are_configurable(hot):
    from dangshi.hotline.models import ServiceType

    ServiceType.objects.filter(code="general").update(limit_hours=48)
    assert hot.dispatched(when=at(1, 9)).due_at == at(3, 9)


def test_answered_directly_needs_no_dispatch(hot):
    req = hot.new(kind="consult")
    req = services.request_answer(req=req, scope=hot.scope("office"), actor=hot.user("office"), note="已告知办理流程")
    assert req.state == State.ANSWERED and req.org is None


def test_return_goes_back_to_dispatch_with_a_reason_and_is_capped(hot, settings):
    settings.HOTLINE_MAX_RETURNS = 2
    req = hot.dispatched()
    for n in (1, 2):
        req = services.request_return(req=req, scope=hot.scope("admin_a"), actor=hot.user("admin_a"),
                                      reason="不属于本单位职责")
        assert req.state == State.RETURNED and req.org is None and req.return_count == n
        req = services.request_dispatch(req=req, scope=hot.scope("office"), actor=hot.user("office"),
                                        org=hot.w.branch_a)
    with pytest.raises(Conflict):
        services.request_return(req=req, scope=hot.scope("admin_a"), actor=hot.user("admin_a"), reason="再退")
    req.refresh_from_db()
    assert req.state == State.DISPATCHED
    returns = req.updates.filter(action=Action.RETURN)
    assert returns.count() == 2 and returns.first().note == "不属于本单位职责"
    assert returns.first().org == hot.w.branch_a


def test_only_the_handling_org_may_sign_or_return(hot):
    req = hot.dispatched()
    for persona in ("admin_b", "member_a", "outsider"):
        with pytest.raises(Refused):
            services.request_sign(req=req, scope=hot.scope(persona), actor=hot.user(persona))
        with pytest.raises(Refused):
            services.request_return(req=req, scope=hot.scope(persona), actor=hot.user(persona), reason="x")


def test_only_the_centre_may_dispatch_and_call_back(hot):
    req = hot.new()
    with pytest.raises(Refused):
        services.request_dispatch(req=req, scope=hot.scope("admin_a"), actor=hot.user("admin_a"), org=hot.w.branch_a)
    replied = hot.replied()
    with pytest.raises(Refused):
        services.request_callback(req=replied, scope=hot.scope("admin_a"), actor=hot.user("admin_a"),
                                  resolution="resolved", satisfaction="satisfied")


def test_steps_out_of_order_are_refused(hot):
    req = hot.new()
    with pytest.raises(Conflict):
        services.request_close(req=req, scope=hot.scope("office"), actor=hot.user("office"))
    req = hot.dispatched()
    with pytest.raises(Conflict):
        services.request_callback(req=req, scope=hot.scope("office"), actor=hot.user("office"),
                                  resolution="resolved", satisfaction="satisfied")


def test_reopen_sends_it_back_with_a_new_limit_and_counts(hot):
    req = hot.called_back(resolution="not", satisfaction="not")
    req = services.request_reopen(req=req, scope=hot.scope("office"), actor=hot.user("office"), reason="未解决",
                                  now=at(10))
    assert req.state == State.REOPENED and req.reopen_count == 1 and req.due_at == at(17)
    req = services.request_reply(req=req, scope=hot.scope("admin_a"), actor=hot.user("admin_a"), reply="已再次处理",
                                 now=at(11))
    services.request_callback(req=req, scope=hot.scope("office"), actor=hot.user("office"), resolution="resolved",
                              satisfaction="basic", now=at(12))
    req.refresh_from_db()
    assert (req.resolution, req.satisfaction, req.callbacks.count()) == ("resolved", "basic", 2)


def test_extension_needs_approval_and_moves_the_limit(hot):
    req = hot.signed(when=at(1, 9))
    due = req.due_at
    ext = services.extension_ask(req=req, scope=hot.scope("admin_a"), actor=hot.user("admin_a"), hours=48,
                                 reason="需协调施工")
    req.refresh_from_db()
    assert req.due_at == due  # not before approval
    with pytest.raises(Conflict):
        services.extension_ask(req=req, scope=hot.scope("admin_a"), actor=hot.user("admin_a"), hours=24, reason="再延")
    with pytest.raises(Refused):
        services.extension_decide(ext=ext, scope=hot.scope("admin_a"), actor=hot.user("admin_a"), approve=True)
    services.extension_decide(ext=ext, scope=hot.scope("office"), actor=hot.user("office"), approve=True)
    req.refresh_from_db()
    assert req.due_at == due + timedelta(hours=48)
    assert Extension.objects.get(pk=ext.pk).decision == Extension.Decision.APPROVED
    with pytest.raises(Conflict):
        services.extension_decide(ext=ext, scope=hot.scope("office"), actor=hot.user("office"), approve=True)


def test_overdue_requests_are_flagged_escalated_once_and_on_the_agenda(hot):
    late = hot.dispatched(service="emergency", when=at(1, 9))
    on_time = hot.dispatched(service="general", when=at(1, 9))
    now = at(1, 12)
    overdue = list(request_overdue(scope=hot.scope("office"), now=now))
    assert overdue == [late] and late.is_overdue(now) and not on_time.is_overdue(now)
    assert services.requests_escalate_overdue(scope=hot.scope("office"), actor=hot.user("office"), now=now) == 1
    assert services.requests_escalate_overdue(scope=hot.scope("office"), actor=hot.user("office"), now=now) == 0
    late.refresh_from_db()
    assert late.escalated_at == now and late.updates.filter(action=Action.ESCALATE).count() == 1
    items = agenda_items(root=hot.w.root, week_start=at(1).date(), week_end=at(1).date())
    assert [(i.kind, i.org_id) for i in items] == [("request_overdue", hot.w.branch_a.pk)]
    assert "1 件" in items[0].title
