"""团队赛: a team's score is the average of its members' scores; org admins register teams and
members of their own subtree only; one team per member per contest is the database's rule."""

import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangshi.errors import Conflict, Invalid
from dangshi.quiz.models import ContestKind, Team, TeamMember
from dangshi.quiz.selectors.challenge import open_item
from dangshi.quiz.selectors.teams import member_scores, team_detail, teams_board
from dangshi.quiz.services import attempt_start, attempt_submit, contest_create
from dangshi.quiz.services.challenge import challenge_answer, challenge_start
from dangshi.quiz.services.teams import team_member_add, team_register
from tests.quiz.test_challenge import right, wrong
from tests.quiz.test_daily import right_answers


@pytest.fixture
def daily(contest):
    """The fixture contest, open from three days ago to three days ahead (teams may register)."""
    today = timezone.localdate()
    contest.starts_on, contest.ends_on = today - timedelta(days=3), today + timedelta(days=3)
    contest.save()
    return contest


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_teams_score_is_the_average_of_its_members_scores(world, daily):
    a, b, sentinel = world.members["member_a"], world.members["member_b"], world.members["sentinel"]
    attempt = attempt_start(contest=daily, member=a)
    attempt_submit(contest=daily, member=a, answers=right_answers(attempt))  # 10 of 10
    attempt_start(contest=daily, member=b)
    attempt_submit(contest=daily, member=b, answers={})  # 0 of 10
    team = team_register(contest=daily, org=world.community, name="社区一队")
    for m in (a, b, sentinel):  # the sentinel has not taken part: 0, and still counts
        team_member_add(team=team, member=m)
    # By hand: μ = 10/20 = 0.5, m = 7 × 10 = 70, days open = 4 (three days ago to today), one day each.
    # A(a) = (10 + 35) / (10 + 70) = 0.5625, A(b) = (0 + 35) / 80 = 0.4375; P = 1/4 for both.
    # Team = (0.5625/4 + 0.4375/4 + 0) / 3 = 1/12.
    assert member_scores(contest=daily, member_ids=[a.pk, b.pk]) == pytest.approx({a.pk: 0.5625 / 4, b.pk: 0.4375 / 4})
    rows = teams_board(contest=daily, org=world.root)
    assert [(r["name"], r["members"]) for r in rows] == [("社区一队", 3)]
    assert rows[0]["score"] == pytest.approx(1 / 12)
    assert team_detail(team=team)["score"] == pytest.approx(1 / 12)
    # The members' scores are the ones the leaderboard ranks them by.
    board = world.client("office").get("/api/v1/quiz/leaderboard?org=ROOT").json()
    by_name = {r["member"]: r["score"] for r in board["rows"]}
    assert by_name["甲支部党员"] == pytest.approx(0.5625 / 4) and by_name["乙支部党员"] == pytest.approx(0.4375 / 4)
    api = world.client("admin_a").get(f"/api/v1/quiz/teams?org=BRA&contest={daily.pk}").json()
    assert api["teams"] == []  # the team is the community's: not in 支部A's subtree
    api = world.client("office").get(f"/api/v1/quiz/teams?org=CM1&contest={daily.pk}").json()
    assert [(t["name"], t["members"], t["rank"]) for t in api["teams"]] == [("社区一队", 3, 1)]
    assert api["teams"][0]["score"] == pytest.approx(1 / 12, abs=1e-6)


def test_a_challenge_teams_score_averages_the_members_best_runs(world, daily):
    today = timezone.localdate()
    challenge = contest_create(campaign=daily.campaign, org=world.root, title="挑战赛", kind=ContestKind.CHALLENGE,
                               starts_on=today, ends_on=today + timedelta(days=3))
    a, sentinel = world.members["member_a"], world.members["sentinel"]
    now = timezone.now()
    for n in (3, 1):
        run = challenge_start(contest=challenge, member=a, now=now)
        for answer in [right] * n + [wrong]:
            item = open_item(run)
            challenge_answer(run=run, question_id=item.question_id, given=answer(item), now=now)
    team = team_register(contest=challenge, org=world.branch_a, name="挑战队")
    team_member_add(team=team, member=a)
    team_member_add(team=team, member=sentinel)
    assert teams_board(contest=challenge, org=world.branch_a)[0]["score"] == pytest.approx((3 + 0) / 2)


def test_teams_are_ranked_by_score_then_size(world, daily):
    attempt = attempt_start(contest=daily, member=world.members["member_a"])
    attempt_submit(contest=daily, member=world.members["member_a"], answers=right_answers(attempt))
    strong = team_register(contest=daily, org=world.branch_a, name="强队")
    team_member_add(team=strong, member=world.members["member_a"])
    empty = team_register(contest=daily, org=world.branch_b, name="空队")
    zero = team_register(contest=daily, org=world.branch_b, name="零分队")
    team_member_add(team=zero, member=world.members["member_b"])
    assert [r["name"] for r in teams_board(contest=daily, org=world.root)] == ["强队", "零分队", "空队"]
    assert [r["name"] for r in teams_board(contest=daily, org=world.branch_b)] == ["零分队", "空队"]
    assert empty.members.count() == 0


def test_a_member_belongs_to_one_team_per_contest(world, daily):
    first = team_register(contest=daily, org=world.branch_a, name="一队")
    second = team_register(contest=daily, org=world.community, name="二队")
    team_member_add(team=first, member=world.members["member_a"])
    with pytest.raises(Conflict):
        team_member_add(team=second, member=world.members["member_a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMember.objects.create(team=second, contest=daily, member=world.members["member_a"])


def test_a_team_takes_members_of_its_own_org_subtree_only(world, daily):
    team = team_register(contest=daily, org=world.branch_a, name="一队")
    with pytest.raises(Invalid) as exc:
        team_member_add(team=team, member=world.members["member_b"])  # 支部B, outside 支部A
    assert exc.value.field == "member"
    with pytest.raises(Conflict):
        team_register(contest=daily, org=world.branch_a, name="一队")  # same name, same org


def test_teams_are_fixed_once_the_contest_is_over(world, daily):
    team = team_register(contest=daily, org=world.branch_a, name="一队")
    daily.ends_on = timezone.localdate() - timedelta(days=1)
    daily.save()
    team.contest.refresh_from_db()
    with pytest.raises(Conflict):
        team_member_add(team=team, member=world.members["member_a"])
    with pytest.raises(Conflict):
        team_register(contest=daily, org=world.branch_a, name="二队")


def test_an_org_admin_registers_a_team_and_its_members_through_the_api(world, daily):
    client = world.client("admin_a")
    made = post(client, "/api/v1/quiz/teams", {"org": "BRA", "contest": daily.pk, "name": "甲支部队"})
    assert made.status_code == 201, made.content
    team_id = made.json()["id"]
    added = post(client, f"/api/v1/quiz/teams/{team_id}/members", {"member": world.members["member_a"].pk})
    assert added.status_code == 201 and [m["name"] for m in added.json()["members"]] == ["甲支部党员"]
    again = post(client, f"/api/v1/quiz/teams/{team_id}/members", {"member": world.members["member_a"].pk})
    assert again.status_code == 409
    removed = client.delete(f"/api/v1/quiz/teams/{team_id}/members/{world.members['member_a'].pk}")
    assert removed.status_code == 200 and removed.json()["members"] == []
    assert client.delete(f"/api/v1/quiz/teams/{team_id}/members/{world.members['member_a'].pk}").status_code == 404


def test_an_admin_of_another_branch_gets_404_outside_their_subtree(world, daily):
    team = team_register(contest=daily, org=world.branch_a, name="甲支部队")
    client = world.client("admin_b")
    assert post(client, "/api/v1/quiz/teams", {"org": "BRA", "contest": daily.pk, "name": "越界队"}).status_code == 404
    assert post(client, f"/api/v1/quiz/teams/{team.pk}/members",
                {"member": world.members["member_b"].pk}).status_code == 404
    own = post(client, "/api/v1/quiz/teams", {"org": "BRB", "contest": daily.pk, "name": "乙支部队"}).json()
    # A member of 支部A is out of admin_b's reach: 404 (not 422), nothing about them is told.
    assert post(client, f"/api/v1/quiz/teams/{own['id']}/members",
                {"member": world.members["member_a"].pk}).status_code == 404
    assert client.get(f"/quiz/console/teams/{team.pk}/").status_code == 404
    assert client.post(f"/quiz/console/teams/{team.pk}/members/",
                       {"add": world.members["member_b"].pk}).status_code == 404
    assert client.post("/quiz/console/teams/", {"contest": daily.pk, "org": "BRA", "name": "越界队"}).status_code == 404
    assert not Team.objects.filter(name="越界队").exists() and not team.members.exists()


def test_outsiders_are_refused_on_every_team_endpoint(world, daily):
    team = team_register(contest=daily, org=world.branch_a, name="甲支部队")
    team_member_add(team=team, member=world.members["sentinel"])
    sentinel = world.members["sentinel"].pk
    for persona in ("outsider", "member_c", "member_a"):
        client = world.client(persona)
        assert post(client, "/api/v1/quiz/teams", {"org": "BRA", "contest": daily.pk, "name": "x"}).status_code == 404
        assert post(client, f"/api/v1/quiz/teams/{team.pk}/members", {"member": sentinel}).status_code == 404
        assert client.delete(f"/api/v1/quiz/teams/{team.pk}/members/{sentinel}").status_code == 404
        assert client.get(f"/quiz/console/teams/{team.pk}/").status_code == 404
        assert client.get("/quiz/console/teams/").status_code == 404
    assert world.client("outsider").get("/api/v1/quiz/teams").status_code == 404
    assert world.client("member_c").get("/api/v1/quiz/teams?org=BRA").status_code == 404
    assert world.client("admin_b").get("/api/v1/quiz/teams?org=BRA").status_code == 404
    assert world.client(None).get("/api/v1/quiz/teams").status_code == 401
    for persona in ("office", "admin_b", "outsider"):  # the members' pages: no member record, nothing to show
        assert world.client(persona).get("/quiz/teams/").status_code == 404, persona
        assert world.client(persona).get("/quiz/teams/mine/").status_code == 404, persona
    assert team.members.count() == 1


def test_console_and_member_pages(world, daily):
    admin = world.client("admin_a")
    page = admin.get("/quiz/console/teams/")
    assert page.status_code == 200 and "报名团队" in page.content.decode()
    made = admin.post("/quiz/console/teams/", {"contest": daily.pk, "org": "BRA", "name": "甲支部队"})
    team = Team.objects.get(name="甲支部队")
    assert made["Location"] == f"/quiz/console/teams/{team.pk}/"
    detail = admin.get(made["Location"]).content.decode()
    assert "甲支部党员" in detail and "乙支部党员" not in detail  # candidates: 支部A only
    admin.post(f"/quiz/console/teams/{team.pk}/members/", {"add": world.members["member_a"].pk})
    assert team.members.get().member == world.members["member_a"]
    mine = world.client("member_a").get("/quiz/teams/mine/").content.decode()
    assert "甲支部队" in mine and "甲支部党员" in mine
    board = world.client("member_a").get("/quiz/teams/").content.decode()
    assert "甲支部队" in board and 'class="me"' in board
    assert "甲支部队" in world.client("member_c").get("/quiz/teams/").content.decode()  # the district's board
    admin.post(f"/quiz/console/teams/{team.pk}/members/", {"remove": world.members["member_a"].pk})
    assert not team.members.exists()
