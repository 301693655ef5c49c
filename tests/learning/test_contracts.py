"""The module contracts that reports and supervision read."""

from datetime import date, timedelta

from dangshi.core.contracts import providers
from dangshi.learning import selectors
from dangshi.learning.models import Activity
from dangshi.learning.services.reading import read_finish, read_start
from tests.learning.conftest import T0, publish


def test_contracts_are_found():
    found = dict(providers("ROLLUP_METRICS"))
    assert "learning.reads" in found["learning"]
    assert "learning" in dict(providers("agenda_items")) and "learning" in dict(providers("member_figures"))


def test_rollup_facts_are_additive_per_org(world, cols):
    item = publish(world, cols["stories"], "故事", "<p>短</p>")
    for name in ("member_a", "member_c"):
        read_start(member=world.members[name], item=item, now=T0)
        read_finish(member=world.members[name], item=item, now=T0 + timedelta(minutes=1))
    facts = list(selectors.rollup_facts(start=T0.date(), end=T0.date(), root_path=world.root.path))
    reads = {f.org_path: f.value for f in facts if f.metric == "learning.reads"}
    assert reads == {world.branch_a.path: 1, world.branch_c.path: 1}
    points = {f.org_path: f.value for f in facts if f.metric == "learning.points"}
    assert points == {world.branch_a.path: 1, world.branch_c.path: 1}
    assessed = {f.org_path: f.value for f in facts if f.metric == "learning.five_ones_assessed"}
    assert assessed[world.branch_a.path] == 2  # member_a and the sentinel
    only_street2 = list(selectors.rollup_facts(start=T0.date(), end=T0.date(), root_path=world.street2.path))
    assert {f.org_path for f in only_street2} == {world.branch_c.path}


def test_agenda_lists_branches_with_low_compliance(world, cols):
    week = (date(2021, 5, 10), date(2021, 5, 16))
    for name in ("member_b",):
        Activity.objects.create(member=world.members[name], kind="song", day=date(2021, 5, 12))
        Activity.objects.bulk_create(Activity(member=world.members[name], kind="video", day=week[0] + timedelta(d))
                                     for d in range(7))
    items = selectors.agenda_items(root=world.root, week_start=week[0], week_end=week[1])
    assert {i.org_name for i in items} == {"测试社区第一党支部", "第二街道机关党支部"}
    assert all(i.kind == "five_ones_low" and i.url.startswith("/learning/console/five-ones/") for i in items)


def test_member_figures(world, cols):
    item = publish(world, cols["stories"], "故事", "<p>短</p>")
    member = world.members["member_a"]
    read_start(member=member, item=item, now=T0)
    read_finish(member=member, item=item, now=T0 + timedelta(minutes=1))
    figures = selectors.member_figures(member=member, start=T0.date(), end=T0.date())
    assert figures == {"学习篇数": 1, "学习积分": 1, "五个一达标": "否"}
