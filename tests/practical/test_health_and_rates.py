"""Health status and 开工率 / completion rates against hand-computed values, with a fixed clock.

Fixture (today = 2021-07-01, tolerance 10 points):
  A key, livelihood, 支部A: 2021-03-01 … 2021-12-31 (305 days); 2021-07-01 is day 122 → elapsed 40.0%;
    progress 35 ≥ 30 → on schedule
  B key, safety, 支部B:  2021-05-01 … 2021-09-28 (150 days); day 61 → elapsed 40.67%; progress 20 < 30.67 → lagging
  C general, livelihood, 支部C: ends 2021-06-30, progress 90, still in progress → overdue
  D general, ecology, 支部A: done (completed 2021-06-20) → done
  E general, livelihood, 支部B: published, not started, starts 2021-08-01 → on schedule (elapsed 0)
  F general, livelihood, 支部C: cancelled → not counted
Totals: 5 counted, started A B C D = 4 → 开工率 80.0%; completed D = 1 → 20.0%.
Key: 2 / 2 started (100.0%), 0 completed. General: 3 counted, 2 started (66.7%), 1 completed (33.3%).
By street: 街道1 (支部A, 支部B) A B D E → 4, started 3 (75.0%), completed 1 (25.0%); 街道2: C → 1, 1 (100.0%).
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangshi.orgs.scope import scope_for
from dangshi.practical import selectors, services
from dangshi.practical.models import Field, Tier
from dangshi.practical.rules import DONE, LAGGING, ON_SCHEDULE, OVERDUE, elapsed_share, health
from tests.practical.helpers import campaign, in_progress, matter

TODAY = date(2021, 7, 1)


def test_elapsed_share_and_health_by_hand():
    assert elapsed_share(planned_start=date(2021, 3, 1), planned_end=date(2021, 12, 31), today=TODAY) == \
        pytest.approx(100 * 122 / 305)
    kw = {"state": "in_progress", "planned_start": date(2021, 3, 1), "planned_end": date(2021, 12, 31),
          "tolerance": 10, "today": TODAY}
    assert health(progress=30, **kw) == ON_SCHEDULE  # 30 ≥ 40 − 10
    assert health(progress=29, **kw) == LAGGING
    assert health(progress=99, **{**kw, "today": date(2022, 1, 1)}) == OVERDUE
    assert health(progress=100, **{**kw, "state": "verified", "today": date(2022, 1, 1)}) == DONE


@pytest.fixture
def fixture(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = world.users["office"]
    campaign(world)
    a = matter(world, org=world.branch_a, tier=Tier.KEY, field=Field.LIVELIHOOD, title="A",
               planned_start=date(2021, 3, 1), planned_end=date(2021, 12, 31))
    b = matter(world, org=world.branch_b, tier=Tier.KEY, field=Field.SAFETY, title="B",
               planned_start=date(2021, 5, 1), planned_end=date(2021, 9, 28))
    c = matter(world, org=world.branch_c, title="C", planned_start=date(2021, 3, 1), planned_end=date(2021, 6, 30))
    d = matter(world, org=world.branch_a, field=Field.ECOLOGY, title="D", planned_start=date(2021, 3, 1),
               planned_end=date(2021, 10, 31))
    e = matter(world, org=world.branch_b, title="E", planned_start=date(2021, 8, 1), planned_end=date(2021, 11, 30))
    fm = matter(world, org=world.branch_c, title="F")
    for m, pct in ((a, 35), (b, 20), (c, 90), (d, 50)):
        m = in_progress(world, m, today=date(2021, 5, 10))
        services.progress_report(matter=m, percent=pct, note="进展", actor=office, scope=scope_for(office), today=date(2021, 6, 1))
    services.matter_complete(matter=d, actor=office, scope=scope_for(office), note="完成",
                             files=[SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 16)], today=date(2021, 6, 20))
    services.matter_cancel(matter=fm, actor=office, scope=scope_for(office), reason="合并")
    return dict(zip("ABCDEF", (a, b, c, d, e, fm), strict=True))


def test_health_of_each_matter_matches_hand_computed(fixture):
    got = {k: selectors.health_of(type(m).objects.get(pk=m.pk), today=TODAY) for k, m in fixture.items() if k != "F"}
    assert got == {"A": ON_SCHEDULE, "B": LAGGING, "C": OVERDUE, "D": DONE, "E": ON_SCHEDULE}


def test_start_and_completion_rates_match_hand_computed(world, fixture):
    def table(by):
        rows = selectors.rates(root=world.root, by=by, campaign=campaign(world), today=TODAY)
        return {r.label: (r.total, r.started, r.started_rate, r.completed, r.completion_rate) for r in rows if r.total}

    tiers = table("tier")
    assert tiers == {"重点实事": (2, 2, 100.0, 0, 0.0), "一般实事": (3, 2, 66.7, 1, 33.3)}
    orgs = table("org")
    assert orgs == {world.street.name: (4, 3, 75.0, 1, 25.0), world.street2.name: (1, 1, 100.0, 0, 0.0)}
    fields = table("field")
    assert fields["民生改善"] == (3, 2, 66.7, 0, 0.0)
    total = selectors.rate_totals(selectors.rates(root=world.root, by="tier", campaign=campaign(world), today=TODAY))
    assert (total.total, total.started, total.started_rate, total.completed, total.completion_rate) == \
        (5, 4, 80.0, 1, 20.0)
    assert (total.on_schedule, total.lagging, total.overdue) == (2, 1, 1)


def test_agenda_lists_lagging_and_overdue_matters(world, fixture):
    items = selectors.agenda_items(root=world.root, week_start=date(2021, 6, 25), week_end=TODAY)
    assert sorted((i.kind, i.org_name) for i in items) == [
        ("matter_lagging", world.branch_b.name), ("matter_overdue", world.branch_c.name)]


def test_rollup_facts_are_additive_per_org(world, fixture):
    facts = selectors.rollup_facts(start=date(2021, 1, 1), end=TODAY, root_path=world.root.path)
    total = {}
    for fact in facts:
        total[fact.metric] = total.get(fact.metric, 0) + fact.value
    assert total["practical.matters"] == 5
    assert total["practical.key_matters"] == 2
    assert total["practical.matters_completed"] == 1
    street1 = sum(x.value for x in facts if x.metric == "practical.matters_started"
                  and x.org_path.startswith(world.street.path))
    assert street1 == 3


def test_stats_page_shows_the_totals(world, fixture):
    # The page runs on the real clock (long after 2021): the same four of five have started.
    body = world.client("office").get("/practical/console/stats/").content.decode()
    assert "80.0%" in body and "20.0%" in body
