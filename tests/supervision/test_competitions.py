from datetime import date

from dangshi.supervision import selectors, services


def test_competition_ranks_orgs_of_the_same_level_by_weighted_indicators(world, fake, office_scope):
    fake.add(world.branch_a, date(2021, 6, 8), "outreach.sessions", 4)  # 2 members: 2 per member
    fake.add(world.branch_b, date(2021, 6, 8), "outreach.sessions", 1)  # 1 member: 1 per member
    comp = services.competition_create(scope=office_scope, org=world.community, name="六比六赛", starts_on=date(2021, 6, 1),
                                       ends_on=date(2021, 6, 30), published=True, indicators=[
                                           {"label": "比作为", "metric": "outreach.sessions", "weight": 60},
                                           {"label": "比担当", "metric": "", "weight": 40},
                                       ])
    office_scored = comp.indicators.get(label="比担当")
    services.score_set(scope=office_scope, indicator=office_scored, org=world.branch_a, value=50)
    services.score_set(scope=office_scope, indicator=office_scored, org=world.branch_b, value=100)
    rows = selectors.competition_ranking(competition=comp)
    # 支部A: 60*100 + 40*50 = 8000/100 = 80; 支部B: 60*50 + 40*100 = 7000/100 = 70
    assert [(r["code"], r["rank"], r["score"]) for r in rows] == [("BRA", 1, 80.0), ("BRB", 2, 70.0)]
    api = world.client("office").get(f"/api/v1/supervision/competitions/{comp.pk}/ranking").json()
    assert api["rows"] == rows
    dash = world.client("office").get("/api/v1/reports/dashboard?org=CM1&period=2021-06").json()
    assert dash["competitions"][0]["rows"][0]["code"] == "BRA"


def test_only_participants_are_scored_by_hand(world, fake, office_scope):
    import pytest

    from dangshi.errors import Invalid

    comp = services.competition_create(scope=office_scope, org=world.community, name="比武", starts_on=date(2021, 6, 1),
                                       ends_on=date(2021, 6, 30), indicators=[{"label": "比贡献", "metric": "", "weight": 1}])
    with pytest.raises(Invalid):
        services.score_set(scope=office_scope, indicator=comp.indicators.get(), org=world.branch_c, value=1)
