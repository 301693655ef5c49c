"""Figures: visitors per site per month, check-ins by org, 累计接受教育人次, most visited;
the roll-up and member contracts."""

from datetime import date

from dangshi.core.contracts import providers
from dangshi.orgs.scope import scope_for
from dangshi.redsites import selectors, services
from tests.redsites.helpers import site

START, END = date(2026, 1, 1), date(2026, 12, 31)


def _history(world):
    a, c = world.members["member_a"], world.members["member_c"]
    museum, station = site(world.branch_a, name="统计纪念馆"), site(world.branch_c, name="统计驿站")
    services.checkin_create(member=a, site=museum, today=date(2026, 3, 5))
    services.checkin_create(member=a, site=museum, today=date(2026, 4, 5))
    services.checkin_create(member=a, site=station, today=date(2026, 4, 6))
    services.checkin_create(member=c, site=museum, today=date(2026, 4, 7))
    services.visitor_count(site=museum, today=date(2026, 4, 8), n=10)
    booking = services.booking_create(org=world.branch_a, site=museum, day=date(2026, 4, 20), period="am", people=30,
                                      today=date(2026, 4, 1))
    services.booking_hold(booking=booking, attendees=25, today=date(2026, 4, 20))
    return museum, station


def test_office_sees_every_figure_of_the_district(world):
    _history(world)
    figures = selectors.stats(scope=scope_for(world.users["office"]), start=START, end=END)
    assert figures["education_total"] == 4 + 10 + 25  # check-ins + visitors + group-visit attendees
    months = {(m["site"], m["month"].month): m for m in figures["months"]}
    assert months[("统计纪念馆", 3)]["checkins"] == 1
    assert (months[("统计纪念馆", 4)]["checkins"], months[("统计纪念馆", 4)]["visitors"],
            months[("统计纪念馆", 4)]["attendees"]) == (2, 10, 25)
    assert {r["org__code"]: r["n"] for r in figures["by_org"]} == {"BRA": 3, "BRC": 1}
    assert figures["most_visited"][0] == ("统计纪念馆", 38)


def test_an_admin_sees_only_their_own_orgs_figures(world):
    _history(world)
    figures_b = selectors.stats(scope=scope_for(world.users["admin_b"]), start=START, end=END)
    assert figures_b["education_total"] == 0 and figures_b["by_org"] == []
    figures_a = selectors.stats(scope=scope_for(world.users["admin_a"]), start=START, end=END)
    assert {r["org__code"] for r in figures_a["by_org"]} == {"BRA"}
    assert figures_a["education_total"] == 3 + 10 + 25
    page = world.client("admin_b").get("/redsites/console/stats/?start=2026-01-01&end=2026-12-31")
    assert "统计纪念馆" not in page.content.decode()
    page = world.client("admin_a").get("/redsites/console/stats/?start=2026-01-01&end=2026-12-31")
    assert "统计纪念馆" in page.content.decode()


def test_rollup_facts_are_additive_per_org(world):
    _history(world)
    (rollup,) = [fn for label, fn in providers("rollup_facts") if label == "redsites"]
    facts = list(rollup(start=START, end=END))
    by = {}
    for f in facts:
        by[(f.org_path, f.metric)] = by.get((f.org_path, f.metric), 0) + f.value
    assert by[(world.branch_a.path, "redsites.checkins")] == 3
    assert by[(world.branch_c.path, "redsites.checkins")] == 1
    assert by[(world.branch_a.path, "redsites.visits")] == 1
    assert by[(world.branch_a.path, "redsites.visit_attendees")] == 25
    assert by[(world.branch_a.path, "redsites.visitors")] == 10
    # a subtree filter keeps only its own orgs
    street2 = list(rollup(start=START, end=END, root_path=world.street2.path))
    assert {f.org_path for f in street2} == {world.branch_c.path}
    metrics = dict(providers("ROLLUP_METRICS"))["redsites"]
    assert {f.metric for f in facts} <= set(metrics)


def test_member_figures_count_checkins_and_sites(world):
    _history(world)
    figures = selectors.member_figures(member=world.members["member_a"], start=START, end=END)
    assert figures == {"红色打卡(次)": 3, "点亮红色地标(处)": 2}
