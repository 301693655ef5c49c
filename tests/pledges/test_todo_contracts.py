"""Reminders on the secretary's to-do list, and the contracts reports and supervision read."""

from datetime import date, timedelta

from django.utils import timezone, translation

from dangshi.core.contracts import providers
from dangshi.pledges import selectors
from dangshi.pledges.machine import Action
from dangshi.pledges.models import PledgeItem, State
from tests import factories as f
from tests.pledges import builders as b


def test_the_secretary_sees_missing_commitments_due_items_and_ratings(world):
    b.round_(world)  # commit by 2021-03-31
    late = f.member(world.branch_a, "未承诺党员")
    submitted = b.pledge_in(world, State.SUBMITTED)
    scope = b.scope(world, "admin_a")
    before = selectors.secretary_todo(scope=scope, org=world.branch_a, today=date(2021, 3, 1))
    assert not before["missing"].exists()  # before the deadline nobody is chased
    todo = selectors.secretary_todo(scope=scope, org=world.branch_a, today=date(2021, 4, 2))
    assert {m.name for m in todo["missing"]} == {"未承诺党员", "哨兵甲乙丙"}
    assert list(todo["to_review"]) == [submitted]
    # A published commitment with an item due within a week; a rating window open.
    b.do(world, submitted, Action.APPROVE, "admin_a")
    published = b.do(world, submitted, Action.PUBLISH, "admin_a")
    PledgeItem.objects.filter(pledge=published, position=1).update(due_on=date(2021, 4, 5))
    todo = selectors.secretary_todo(scope=scope, org=world.branch_a, today=date(2021, 4, 2))
    assert [i.what for i in todo["due_soon"]] == ["承诺事项1"]
    assert late.pk in {m.pk for m in todo["missing"]}
    page = world.client("admin_a").get("/pledges/console/todo/").content.decode()
    assert "未承诺党员" in page and "截止后仍未承诺的党员" in page


def test_ratings_due_show_on_the_todo_list(world):
    pledge = b.pledge_in(world, State.RATING_OPEN)
    todo = selectors.secretary_todo(scope=b.scope(world, "admin_a"), org=world.branch_a, today=b.TODAY)
    assert list(todo["ratings_due"]) == [pledge]
    # admin_b's list of 支部B knows nothing of it.
    other = selectors.secretary_todo(scope=b.scope(world, "admin_b"), org=world.branch_b, today=b.TODAY)
    assert not other["ratings_due"].exists() and not other["to_review"].exists()


def test_rollup_facts_count_commitments_by_state_and_fulfilled_at_their_branch(world):
    b.pledge_in(world, State.SUBMITTED)
    b.pledge_in(world, State.ARCHIVED, member_key="member_c")
    b.unit(world)
    today = timezone.localdate()
    facts = list(selectors.rollup_facts(start=today - timedelta(days=1), end=today))
    got = {(f.org_path, f.metric): f.value for f in facts}
    assert got[(world.branch_a.path, "pledges.state.submitted")] == 1
    assert got[(world.branch_c.path, "pledges.state.archived")] == 1
    assert got[(world.branch_c.path, "pledges.fulfilled")] == 1
    assert got[(world.branch_a.path, "pledges.total")] == 1
    assert all(f.metric in selectors.ROLLUP_METRICS for f in facts)
    only_street2 = list(selectors.rollup_facts(start=today, end=today, root_path=world.street2.path))
    assert {f.org_path for f in only_street2} == {world.branch_c.path}
    assert "pledges" in dict(providers("rollup_facts"))


def test_rollup_state_labels_are_in_the_language_of_the_reader():
    """Built when read, not at import (which would freeze them in the language Django started in)."""
    label = selectors.ROLLUP_METRICS["pledges.state.submitted"]
    with translation.override("zh-hans"):
        assert str(label) == "党员承诺(待审核)"
    with translation.override("en"):
        assert str(label) == "Party member pledges (Awaiting review)"


def test_agenda_names_branches_with_commitments_awaiting_review(world):
    b.pledge_in(world, State.SUBMITTED)
    items = selectors.agenda_items(root=world.root, week_start=date(2021, 6, 1), week_end=date(2021, 6, 7))
    assert [(a.kind, a.org_name) for a in items] == [("pledge_awaiting_review", "测试社区第一党支部")]
    assert "1 份党员承诺待审核" in items[0].title and items[0].url.startswith("/pledges/console/review/")


def test_member_figures_for_the_quarterly_review(world):
    pledge = b.pledge_in(world, State.RATED)
    today = timezone.localdate()
    figures = selectors.member_figures(member=pledge.member, start=today - timedelta(days=400), end=today)
    assert figures["承诺事项"] == 2 and figures["承诺状态"] == "已评议" and figures["践诺进展报告"] == 0
    assert selectors.member_figures(member=world.members["member_b"], start=today, end=today)["承诺状态"] == "未承诺"
