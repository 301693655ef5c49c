"""The state machine: draft → published → claimed → in_progress → completed (evidence) →
verified, the side states, sub-matter roll-up, and one Transition + audit event per change."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangshi.audit.models import AuditEvent
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.orgs.scope import scope_for
from dangshi.practical import services
from dangshi.practical.models import Evidence, State, Transition
from tests.practical.helpers import campaign, in_progress, matter


def _photo():
    return SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n fake", content_type="image/png")


def test_full_path_to_verified_is_logged_step_by_step(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = world.users["office"]
    m = matter(world, publish=False)
    assert m.state == State.DRAFT
    services.matter_publish(matter=m, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]))
    m = in_progress(world, m)
    services.progress_report(matter=m, percent=60, note="主体完工", actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]), files=[_photo()],
                             today=date(2021, 6, 1))
    services.matter_complete(matter=m, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]), note="已交付使用", files=[_photo()],
                             today=date(2021, 9, 1))
    services.matter_verify(matter=m, actor=office, scope=scope_for(office), today=date(2021, 9, 10))
    m.refresh_from_db()
    assert (m.state, m.progress, m.started_on, m.completed_on) == (State.VERIFIED, 100, date(2021, 4, 1),
                                                                    date(2021, 9, 1))
    steps = list(Transition.objects.filter(matter=m).values_list("from_state", "to_state"))
    assert steps == [("draft", "published"), ("published", "claimed"), ("claimed", "in_progress"),
                     ("in_progress", "completed"), ("completed", "verified")]
    actions = set(AuditEvent.objects.filter(action__startswith="practical.").values_list("action", flat=True))
    assert {"practical.matter.published", "practical.matter.claimed", "practical.matter.in_progress",
            "practical.matter.completed", "practical.matter.verified", "practical.progress.reported",
            "practical.claim.created"} <= actions
    assert Evidence.objects.filter(report__matter=m).count() == 2


def test_completion_without_evidence_is_refused(world):
    m = in_progress(world, matter(world))
    with pytest.raises(Invalid) as exc:
        services.matter_complete(matter=m, actor=world.users["office"], scope=scope_for(world.users["office"]), note="完成", files=[])
    assert exc.value.field == "evidence"
    m.refresh_from_db()
    assert m.state == State.IN_PROGRESS


def test_transitions_out_of_order_are_conflicts(world):
    m = matter(world, publish=False)
    with pytest.raises(Conflict):
        services.matter_start(matter=m, actor=world.users["office"], scope=scope_for(world.users["office"]))
    with pytest.raises(Conflict):
        services.matter_verify(matter=m, actor=world.users["office"], scope=scope_for(world.users["office"]))
    services.matter_publish(matter=m, actor=world.users["office"], scope=scope_for(world.users["office"]))
    with pytest.raises(Conflict):
        services.matter_publish(matter=m, actor=world.users["office"], scope=scope_for(world.users["office"]))


def test_sibling_admin_cannot_touch_a_matter(world):
    m = matter(world)
    with pytest.raises(Refused):
        services.matter_suspend(matter=m, actor=world.users["admin_b"], scope=scope_for(world.users["admin_b"]), reason="x")
    with pytest.raises(Refused):
        services.matter_create(campaign=campaign(world), org=world.branch_a, title="越权", actor=world.users["admin_b"], scope=scope_for(world.users["admin_b"]),
                               planned_start=date(2021, 1, 1), planned_end=date(2021, 2, 1))


def test_verification_is_for_the_office_only(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = in_progress(world, matter(world))
    services.matter_complete(matter=m, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]), note="完成", files=[_photo()])
    with pytest.raises(Refused):
        services.matter_verify(matter=m, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]))


def test_suspend_then_resume_returns_to_the_previous_state(world):
    m = in_progress(world, matter(world))
    with pytest.raises(Invalid):
        services.matter_suspend(matter=m, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]), reason=" ")
    services.matter_suspend(matter=m, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]), reason="汛期停工")
    m.refresh_from_db()
    assert m.state == State.SUSPENDED
    services.matter_resume(matter=m, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]))
    m.refresh_from_db()
    assert m.state == State.IN_PROGRESS


def test_cancel_needs_a_reason_and_is_final(world):
    m = matter(world)
    services.matter_cancel(matter=m, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]), reason="与市级项目合并")
    m.refresh_from_db()
    assert m.state == State.CANCELLED
    assert Transition.objects.get(matter=m, to_state=State.CANCELLED).reason == "与市级项目合并"
    with pytest.raises(Conflict):
        services.matter_cancel(matter=m, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]), reason="再取消")


def test_adjustment_needs_a_reason_and_another_persons_approval(world):
    m = in_progress(world, matter(world))
    office = world.users["office"]
    adj = services.adjustment_request(matter=m, actor=office, scope=scope_for(office), reason="拆迁延误", new_planned_end=date(2022, 3, 31))
    with pytest.raises(Conflict):
        services.adjustment_request(matter=m, actor=office, scope=scope_for(office), reason="再次申请")
    with pytest.raises(Refused):
        services.adjustment_decide(adjustment=adj, approve=True, actor=office, scope=scope_for(office))  # own request
    with pytest.raises(Refused):
        services.adjustment_decide(adjustment=adj, approve=True, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]))  # not office
    second_office = _second_office(world)
    services.adjustment_decide(adjustment=adj, approve=True, actor=second_office, scope=scope_for(second_office))
    m.refresh_from_db()
    assert (m.state, m.planned_end) == (State.ADJUSTED, date(2022, 3, 31))
    assert Transition.objects.get(matter=m, to_state=State.ADJUSTED).reason == "拆迁延误"


def _second_office(world):
    from dangshi.orgs.models import Role
    from tests import factories as f

    u = f.user("office2")
    f.role(u, Role.OFFICE, world.root)
    return u


def test_parent_progress_is_the_weighted_mean_of_its_children(world):
    office = world.users["office"]
    parent = matter(world, org=world.community, title="片区综合整治")
    a = matter(world, org=world.branch_a, parent=parent, weight=3, title="一期")
    b = matter(world, org=world.branch_a, parent=parent, weight=1, title="二期")
    a, b = in_progress(world, a), in_progress(world, b)
    services.progress_report(matter=a, percent=80, note="进展", actor=office, scope=scope_for(office))
    services.progress_report(matter=b, percent=40, note="进展", actor=office, scope=scope_for(office))
    parent.refresh_from_db()
    assert parent.progress == 70  # (3×80 + 1×40) / 4
    with pytest.raises(Conflict):
        services.progress_report(matter=parent, percent=90, note="直接填报", actor=office, scope=scope_for(office))
    services.matter_cancel(matter=b, actor=office, scope=scope_for(office), reason="并入一期")
    parent.refresh_from_db()
    assert parent.progress == 80


def test_progress_cannot_go_backwards(world):
    m = in_progress(world, matter(world))
    services.progress_report(matter=m, percent=50, note="过半", actor=world.users["office"], scope=scope_for(world.users["office"]))
    with pytest.raises(Invalid) as exc:
        services.progress_report(matter=m, percent=40, note="回退", actor=world.users["office"], scope=scope_for(world.users["office"]))
    assert exc.value.field == "percent"


def test_milestone_done_once(world):
    m = matter(world)
    ms = services.milestone_add(matter=m, title="开工建设", due_on=date(2021, 5, 1), actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]))
    services.milestone_done(milestone=ms, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]), done_on=date(2021, 5, 2))
    with pytest.raises(Conflict):
        services.milestone_done(milestone=ms, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]))


def test_recurring_complaint_becomes_a_draft_matter_once(world):
    campaign(world)
    m = services.matter_draft_from_source(title="小区路灯长期不亮", description="12345 多次反映",
                                          org=world.branch_a, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]), source_ref="GD2021000123")
    again = services.matter_draft_from_source(title="小区路灯长期不亮", description="再次反映",
                                              org=world.branch_a, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]),
                                              source_ref="GD2021000123")
    assert again.pk == m.pk
    assert (m.state, m.source_ref, m.org) == (State.DRAFT, "GD2021000123", world.branch_a)
    assert AuditEvent.objects.filter(action="practical.matter.created", object_id=str(m.pk)).count() == 1
    # Out of reach: refused, even for a source that already has its matter (it is not handed out).
    for source in ("GD2", "GD2021000123"):
        with pytest.raises(Refused):
            services.matter_draft_from_source(title="x", description="", org=world.branch_a,
                                              actor=world.users["admin_b"], scope=scope_for(world.users["admin_b"]), source_ref=source)
