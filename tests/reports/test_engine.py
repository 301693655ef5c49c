from datetime import date

from dangshi.reports import engine, periods, services
from dangshi.reports.models import Rollup

W23 = periods.week("2021-W23")


def test_root_figures_sum_every_subtree_fact_of_the_period(world, fake):
    fig = engine.figures(org=world.root, start=W23.start, end=W23.end)
    assert fig.totals["outreach.sessions"] == 6  # 2 + 1 + 3; the 06-01 and 05-20 sessions are outside
    assert fig.totals["outreach.audience"] == 205
    assert fig.totals["quiz.answered"] == 50
    assert fig.totals["orgs.orgs"] == 7
    assert fig.totals["orgs.members"] == 4
    assert engine.derived(fig.totals)["quiz.accuracy"] == 78.0  # 39 / 50


def test_children_are_the_subtrees_of_the_direct_sub_orgs(world, fake):
    fig = engine.figures(org=world.root, start=W23.start, end=W23.end)
    assert fig.children[world.street.pk]["outreach.sessions"] == 3
    assert fig.children[world.street2.pk]["outreach.sessions"] == 3
    assert fig.children[world.street.pk]["orgs.members"] == 3
    community = engine.figures(org=world.community, start=W23.start, end=W23.end)
    assert community.children[world.branch_a.pk]["outreach.audience"] == 60
    assert community.children[world.branch_b.pk]["outreach.audience"] == 25


def test_a_subtree_sees_only_its_own_facts(world, fake):
    fig = engine.figures(org=world.branch_a, start=W23.start, end=W23.end)
    assert fig.totals["outreach.sessions"] == 2
    assert fig.totals["orgs.members"] == 2  # member_a and the sentinel
    assert all(call[2] == world.branch_a.path for call in fake.calls)  # providers were asked for the subtree only


def test_any_period_is_answered(world, fake):
    fig = engine.figures(org=world.root, start=date(2021, 5, 1), end=date(2021, 6, 30))
    assert fig.totals["outreach.sessions"] == 18


def test_pre_aggregated_period_gives_the_same_figures_as_a_scan(world, fake):
    scans = {org.pk: engine.figures(org=org, start=W23.start, end=W23.end) for org in (world.root, world.street, world.branch_a)}
    build = services.rollup_rebuild(period=W23)
    assert Rollup.objects.filter(build=build, org=world.root, metric="outreach.sessions").get().value == 6
    for org in (world.root, world.street, world.branch_a):
        pre = engine.figures(org=org, start=W23.start, end=W23.end)
        assert pre.source == "rollup"
        assert pre.totals == scans[org.pk].totals
        assert {k: v for k, v in pre.children.items() if v} == {k: v for k, v in scans[org.pk].children.items() if v}


def test_rebuilding_a_period_replaces_it(world, fake):
    services.rollup_rebuild(period=W23)
    fake.add(world.branch_b, date(2021, 6, 13), "outreach.sessions", 4)
    services.rollup_rebuild(period=W23)
    assert engine.figures(org=world.root, start=W23.start, end=W23.end).totals["outreach.sessions"] == 10


def test_pre_aggregated_root_read_is_a_few_queries(world, fake, django_assert_max_num_queries):
    services.rollup_rebuild(period=W23)
    with django_assert_max_num_queries(3):
        engine.figures(org=world.root, start=W23.start, end=W23.end)


def test_periods_parse_weeks_and_months():
    assert (W23.start, W23.end) == (date(2021, 6, 7), date(2021, 6, 13))
    june = periods.month("2021-06")
    assert (june.start, june.end, june.previous().key) == (date(2021, 6, 1), date(2021, 6, 30), "2021-05")
    assert periods.month("2021-12").end == date(2021, 12, 31)
    assert periods.parse("2021-W1").key == "2021-W01"
