"""The commitment state machine: every (state, action) pair, in and out of the table."""

import pytest
from django.utils import translation

from dangshi.errors import Conflict, Refused
from dangshi.pledges import machine, services
from dangshi.pledges.machine import TRANSITIONS, Action
from dangshi.pledges.models import Pledge, State
from tests.pledges import builders as b

# The persona entitled to each action, so that a refusal below is the state's doing, not the role's.
ACTOR = dict.fromkeys(machine.ACTIONS, "member_a")
ACTOR.update(
    dict.fromkeys(
        (
            Action.APPROVE,
            Action.RETURN,
            Action.REJECT,
            Action.PUBLISH,
            Action.OPEN_RATING,
            Action.CLOSE_RATING,
            Action.ARCHIVE,
        ),
        "admin_a",
    )
)


def attempt(w, pledge: Pledge, action: str, persona: str | None = None):
    persona = persona or ACTOR[action]
    if action == Action.EDIT:
        return services.pledge_save_draft(
            member=pledge.member, items=b.items(3), round_=pledge.round, today=b.TODAY
        )
    return b.do(w, pledge, action, persona)


def test_the_table_names_every_state_and_action_and_who():
    assert {s for s, _ in TRANSITIONS} | {step.to for step in TRANSITIONS.values()} == set(State.values)
    assert {a for _, a in TRANSITIONS} == set(machine.ACTIONS)
    assert {step.who for step in TRANSITIONS.values()} == {machine.OWNER, machine.BRANCH, machine.RATER}


@pytest.mark.parametrize("state", State.values)
def test_every_action_not_in_the_machine_is_refused_with_a_clear_message(world, state):
    pledge = b.pledge_in(world, state)
    refused = [a for a in machine.ACTIONS if (state, a) not in TRANSITIONS]
    assert refused, state
    for action in refused:
        with pytest.raises(Conflict) as exc:
            attempt(world, pledge, action)
        message = str(exc.value.message)
        assert str(State(state).label) in message and str(machine.ACTION_LABELS[action]) in message, message
        assert message.startswith("该承诺当前为「")
        pledge.refresh_from_db()
        assert pledge.state == state  # nothing moved


def test_a_refusal_is_one_sentence_that_lists_what_is_possible():
    """One msgid per sentence (not two glued together), the list joined by the language's separator."""
    with translation.override("zh-hans"):
        assert machine.refusal(State.SUBMITTED, Action.EDIT) == (
            "该承诺当前为「待审核」,不能修改。此时可以:撤回、审核通过、退回修改、不予通过。")
        assert machine.refusal(State.ARCHIVED, Action.EDIT) == "该承诺当前为「已归档」,不能修改。此状态下不能再做任何操作。"


@pytest.mark.parametrize(("state", "action"), list(TRANSITIONS), ids=[f"{s}-{a}" for s, a in TRANSITIONS])
def test_every_transition_in_the_machine_goes_where_the_table_says(world, state, action):
    pledge = b.pledge_in(world, state)
    result = attempt(world, pledge, action)
    result.refresh_from_db()
    assert result.state == TRANSITIONS[(state, action)].to


@pytest.mark.parametrize(
    ("state", "action"),
    [(s, a) for (s, a), st in TRANSITIONS.items() if st.who != machine.RATER and a != Action.EDIT],
)
def test_the_wrong_party_is_refused_even_in_the_right_state(world, state, action):
    pledge = b.pledge_in(world, state)
    wrong = "admin_a" if TRANSITIONS[(state, action)].who == machine.OWNER else "member_a"
    with pytest.raises(Refused):
        attempt(world, pledge, action, wrong)
    pledge.refresh_from_db()
    assert pledge.state == state


def test_a_second_reviewer_acting_on_a_stale_copy_is_refused(world):
    """Compare-and-set: two secretaries load the same submitted commitment; the second loses."""
    pledge = b.pledge_in(world, State.SUBMITTED)
    stale = Pledge.objects.get(pk=pledge.pk)
    b.do(world, pledge, Action.APPROVE, "admin_a")
    with pytest.raises(Conflict, match="已被他人处理"):
        b.do(world, stale, Action.RETURN, "office")
    stale.refresh_from_db()
    assert stale.state == State.APPROVED


def test_withdraw_before_approval_returns_to_draft_and_after_approval_is_refused(world):
    pledge = b.pledge_in(world, State.SUBMITTED)
    assert b.do(world, pledge, Action.WITHDRAW, "member_a").state == State.DRAFT
    b.do(world, pledge, Action.SUBMIT, "member_a")
    approved = b.do(world, pledge, Action.APPROVE, "admin_a")
    with pytest.raises(Conflict, match="不能撤回"):
        b.do(world, approved, Action.WITHDRAW, "member_a")


def test_a_secretary_cannot_review_their_own_commitment(world):
    from dangshi.orgs.models import Role
    from tests import factories as f

    f.role(world.users["member_a"], Role.ORG_ADMIN, world.branch_a)
    pledge = b.pledge_in(world, State.SUBMITTED)
    with pytest.raises(Refused, match="自己的承诺"):
        b.do(world, pledge, Action.APPROVE, "member_a")


def test_items_must_number_two_to_five(world):
    from dangshi.errors import Invalid

    member = world.members["member_a"]
    for n in (1, 6):
        with pytest.raises(Invalid, match="2 至 5 项"):
            services.pledge_save_draft(member=member, items=b.items(1) * n, round_=b.round_(world))
    bad = b.items(2)
    bad[1]["measure"] = ""
    with pytest.raises(Invalid) as exc:
        services.pledge_save_draft(member=member, items=bad, round_=b.round_(world))
    assert exc.value.field == "items.2.measure"


def test_every_step_is_in_the_audit_log_without_personal_data(world):
    from dangshi.audit.models import AuditEvent

    pledge = b.pledge_in(world, State.RATED)
    actions = list(AuditEvent.objects.filter(object_id=str(pledge.pk), action__startswith="pledges.pledge.")
                   .order_by("id").values_list("action", flat=True))
    assert actions == [f"pledges.pledge.{v}" for v in ("created", "submitted", "approved", "published", "progress",
                                                       "fulfilment_submitted", "rating_opened", "rated")]
    returned = AuditEvent.objects.filter(action="pledges.pledge.approved").get()
    assert returned.org_path == world.branch_a.path and returned.actor == world.users["admin_a"]
    assert world.members["member_a"].phone not in str(list(AuditEvent.objects.values_list("data", flat=True)))
