from datetime import timedelta

from django.utils import timezone

from dangshi.orgs.models import OrgKind
from dangshi.orgs.scope import scope_for
from dangshi.outreach import coverage, services
from dangshi.outreach.models import CoverageTarget, LectureGroup
from tests import factories as f
from tests.outreach import helpers as h


def _month():
    return timezone.localdate().replace(day=1)


def test_session_covering_two_orgs_counts_for_both_in_coverage_and_once_in_sessions(world):
    w = world
    h.session(w, persona="office", org=w.community, covered=[w.branch_a, w.branch_b], audience_offline=80)
    matrix = coverage.coverage_matrix(root=w.root, months=[_month()], target=1)
    counts = {r.code: r.counts[0] for r in matrix.rows}
    assert counts["BRA"] == 1 and counts["BRB"] == 1
    assert counts["BRC"] == 0
    totals = coverage.session_totals(root=w.root, start=_month(), end=timezone.localdate())
    assert totals.sessions == 1  # 场次: once
    assert totals.audience_offline == 80
    assert totals.orgs_covered == 2


def test_online_and_offline_audiences_are_kept_apart(world):
    w = world
    h.session(w, audience_offline=30, audience_online=1200, online_platform="学习强国")
    h.session(w, audience_offline=20)
    totals = coverage.session_totals(root=w.root, start=_month(), end=timezone.localdate())
    assert (totals.sessions, totals.audience_offline, totals.audience_online) == (2, 50, 1200)


def test_zone_org_without_session_is_in_gap_list_and_leaves_it_when_one_is_logged(world):
    w = world
    office = w.users["office"]
    campaign = services_campaign(w)
    group = services.group_create(scope=scope_for(office), actor=office, campaign=campaign, org=w.root, name="第一宣讲组",
                                  zone=[w.branch_a, w.branch_b])
    gaps = {g.code: g for g in coverage.coverage_gaps(root=w.root, month=_month(), target=1, campaign=campaign)}
    assert "BRA" in gaps and gaps["BRA"].groups == (group.name,)
    h.session(w, org=w.branch_a)
    gaps = {g.code for g in coverage.coverage_gaps(root=w.root, month=_month(), target=1, campaign=campaign)}
    assert "BRA" not in gaps
    assert "BRB" in gaps


def test_gap_page_lists_the_org_until_a_session_is_logged(world):
    w = world
    client = w.client("office")
    assert "测试社区第一党支部" in client.get("/outreach/console/gaps/").content.decode()
    h.session(w, org=w.branch_a)
    assert "测试社区第一党支部" not in client.get("/outreach/console/gaps/").content.decode()


def test_target_of_two_sessions_makes_one_session_a_gap(world):
    w = world
    campaign = services_campaign(w)
    services.target_set(scope=scope_for(w.users["office"]), actor=w.users["office"], campaign=campaign, min_sessions=2)
    assert coverage.target_for(campaign) == 2
    h.session(w, org=w.branch_a)
    gaps = {g.code for g in coverage.coverage_gaps(root=w.root, month=_month(), target=2, campaign=campaign)}
    assert "BRA" in gaps


def test_only_the_office_sets_the_target(world):
    import pytest

    from dangshi.errors import Refused

    with pytest.raises(Refused):
        services.target_set(scope=scope_for(world.users["admin_a"]), actor=world.users["admin_a"],
                            campaign=services_campaign(world), min_sessions=3)
    assert not CoverageTarget.objects.exists()


def test_rates_per_street_zone_and_district(world):
    w = world
    office = w.users["office"]
    campaign = services_campaign(w)
    services.group_create(scope=scope_for(office), actor=office, campaign=campaign, org=w.root, name="一组",
                          zone=[w.branch_a, w.branch_b])
    h.session(w, org=w.branch_a)
    matrix = coverage.coverage_matrix(root=w.root, months=coverage.months_ending(_month(), 12), target=1)
    assert len(matrix.months) == 12 and all(len(r.counts) == 12 for r in matrix.rows)
    streets = {r.code: (r.covered, r.total) for r in coverage.rates_by_street(matrix)}
    assert streets == {"ST1": (1, 3), "ST2": (0, 1)}  # CM1, BRA, BRB | BRC
    assert coverage.rate_total(matrix).covered == 1 and coverage.rate_total(matrix).total == 4
    zones = coverage.rates_by_zone(campaign=campaign, root=w.root, month=_month(), target=1)
    assert [(z.label, z.covered, z.total) for z in zones] == [("一组", 1, 2)]
    assert LectureGroup.objects.get(name="一组").zone.count() == 2


def test_matrix_takes_two_queries_whatever_the_size(world, django_assert_max_num_queries):
    w = world
    for _ in range(3):
        h.session(w, persona="office", org=w.branch_a, covered=[w.branch_a, w.branch_b])
    with django_assert_max_num_queries(2):
        coverage.coverage_matrix(root=w.root, months=coverage.months_ending(_month(), 12), target=1)


def test_coverage_page_highlights_gaps(world):
    w = world
    h.session(w, org=w.branch_a)
    body = world.client("office").get("/outreach/console/").content.decode()
    assert 'id="coverage-matrix"' in body
    assert body.count('class="n gap"') == 4 * 12 - 1  # every cell but 支部A this month


def test_coverage_api_answers_the_matrix_for_an_org_and_month(world):
    w = world
    h.session(w, org=w.community, persona="office", covered=[w.branch_a, w.branch_b])
    month = _month()
    response = w.client("office").get(f"/api/v1/outreach/coverage?org=CM1&month={month:%Y-%m}")
    assert response.status_code == 200
    body = response.json()
    assert body["months"][-1] == f"{month:%Y-%m}" and len(body["months"]) == 12
    assert body["columns"] == ["code", "name", "counts"]
    assert [row[0] for row in body["orgs"]] == ["CM1", "BRA", "BRB"]  # tree order
    counts = {code: counts[-1] for code, _name, counts in body["orgs"]}
    assert counts == {"CM1": 0, "BRA": 1, "BRB": 1}
    assert all(len(row[2]) == 12 for row in body["orgs"])
    assert body["totals"]["sessions"] == 1
    assert body["covered"][-1] == 2 and body["rates"][-1] == round(2 / 3, 4)


def test_matrix_rows_match_the_matrix_on_every_database(world):
    """The API's rows (written by PostgreSQL there, in Python elsewhere) carry the same
    figures as the page's matrix, names with quotes and backslashes intact."""
    import json

    w = world
    w.branch_b.name = '第二"党支部\\ 新'
    w.branch_b.save()
    h.session(w, persona="office", org=w.community, covered=[w.branch_a, w.branch_b])
    h.session(w, persona="office", org=w.branch_a)
    h.session(w, persona="office", org=w.branch_c, when=timezone.now().replace(day=1) - timedelta(days=20))
    months = coverage.months_ending(_month(), 3)
    for target in (1, 2):
        expected = coverage.coverage_matrix(root=w.root, months=months, target=target)
        rows = coverage.matrix_rows(root=w.root, months=months, target=target)
        assert json.loads(f"[{rows.rows_json}]") == [[r.code, r.name, r.counts] for r in expected.rows]
        assert (rows.total, rows.covered, rows.rates) == (len(expected.rows), expected.covered, expected.rates)
    bare = f.org(w.root, "没有基层组织的街道", OrgKind.WORKING_COMMITTEE, code="ST9", grassroots=False)
    empty = coverage.matrix_rows(root=bare, months=months, target=1)
    assert (empty.rows_json, empty.total, empty.covered, empty.rates) == ("", 0, [0, 0, 0], [0.0, 0.0, 0.0])


def test_coverage_api_refuses_an_org_out_of_scope(world):
    assert world.client("admin_b").get("/api/v1/outreach/coverage?org=BRA").status_code == 404
    assert world.client("member_a").get("/api/v1/outreach/coverage").status_code == 404
    assert world.client("admin_a").get("/api/v1/outreach/coverage?month=2021-13").status_code == 422


def services_campaign(w):
    from datetime import date

    from dangshi.orgs.models import Campaign

    today = timezone.localdate()
    return Campaign.objects.get_or_create(name="党史学习教育", root=w.root,
                                          defaults={"starts_on": date(today.year, 1, 1), "ends_on": date(today.year, 12, 31)})[0]
