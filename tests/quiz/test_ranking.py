"""The leaderboard follows score = A × P with hand-computed values.

Contest of 4 questions a day, m = 8, ranked on 2021-07-03 (3 days open):
  member_a  (支部A) 4/4, 4/4, 4/4   c=12 n=12 days=3
  sentinel  (支部A) 2/4, 3/4, 3/4   c=8  n=12 days=3
  member_c  (支部C) 3/4, 3/4, —     c=6  n=8  days=2
  member_b  (支部B) 4/4, —, —       c=4  n=4  days=1
μ = 30/36 = 5/6, m·μ = 20/3
  member_a  A = (12 + 20/3)/20 = 0.933333  P = 1    → 0.933333
  sentinel  A = (8 + 20/3)/20  = 0.733333  P = 1    → 0.733333
  member_c  A = (6 + 20/3)/16  = 0.791667  P = 2/3  → 0.527778
  member_b  A = (4 + 20/3)/12  = 0.888889  P = 1/3  → 0.296296
member_b has the best raw accuracy yet ranks last: one lucky day does not beat steady work.
"""

from datetime import date

import pytest

from dangshi.quiz.models import Contest
from dangshi.quiz.selectors import displayed_answer
from dangshi.quiz.selectors.ranking import leaderboard, org_rankings
from dangshi.quiz.services import attempt_start, attempt_submit
from dangshi.quiz.services.ranking import snapshot_rebuild
from tests.quiz.conftest import at

DAYS = [date(2021, 7, 1), date(2021, 7, 2), date(2021, 7, 3)]
PLAN = {"member_a": [4, 4, 4], "sentinel": [2, 3, 3], "member_c": [3, 3, None], "member_b": [4, None, None]}
EXPECTED = [("member_a", 0.933333), ("sentinel", 0.733333), ("member_c", 0.527778), ("member_b", 0.296296)]


def play(contest, member, day, right: int, second: int = 10):
    attempt = attempt_start(contest=contest, member=member, now=at(day))
    answers = {}
    for item in attempt.items.select_related("version", "question").order_by("position")[:right]:
        shown = displayed_answer(item)
        answers[str(item.question_id)] = shown[0] if item.question.type == "fill" else shown
    return attempt_submit(contest=contest, member=member, answers=answers, now=at(day, 9, 0, second))


@pytest.fixture
def season(world, contest):
    Contest.objects.filter(pk=contest.pk).update(questions_per_day=4, prior_weight=8, starts_on=DAYS[0])
    contest.refresh_from_db()
    for name, plan in PLAN.items():
        for day, right in zip(DAYS, plan, strict=True):
            if right is not None:
                play(contest, world.members[name], day, right)
    return contest


def test_leaderboard_places_members_in_the_order_the_formula_gives(world, season):
    board = leaderboard(contest=season, org=world.root, kind="season", day=DAYS[2])
    assert board["mu"] == pytest.approx(5 / 6)
    got = [(r["member_id"], r["score"]) for r in board["rows"]]
    assert [m for m, _s in got] == [world.members[n].pk for n, _v in EXPECTED]
    assert [s for _m, s in got] == pytest.approx([v for _n, v in EXPECTED], abs=1e-6)
    assert [r["rank"] for r in board["rows"]] == [1, 2, 3, 4]


def test_leaderboard_is_scoped_to_the_org_asked(world, season):
    board = leaderboard(contest=season, org=world.branch_a, kind="season", day=DAYS[2])
    assert [r["member_id"] for r in board["rows"]] == [world.members["member_a"].pk, world.members["sentinel"].pk]


def test_api_gives_rows_and_my_own_rank(world, season):
    response = world.client("member_c").get("/api/v1/quiz/leaderboard?org=ROOT&period=season&date=2021-07-03")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["rank"] for r in body["rows"]] == [1, 2, 3, 4]
    assert body["me"]["rank"] == 3 and body["me"]["score"] == pytest.approx(0.527778, abs=1e-6)
    assert body["rows"][2]["member"] == "丙支部党员"  # my own name in full
    assert body["rows"][0]["member"] == "甲****"  # others masked for a member
    assert body["days_open"] == 3


def test_a_member_cannot_read_a_sibling_branch(world, season):
    assert world.client("member_c").get("/api/v1/quiz/leaderboard?org=BRA").status_code == 404
    assert world.client("admin_b").get("/api/v1/quiz/leaderboard?org=BRA").status_code == 404
    assert world.client("admin_a").get("/api/v1/quiz/leaderboard?org=BRA&date=2021-07-03").status_code == 200


def test_day_and_month_periods(world, season):
    day = leaderboard(contest=season, org=world.root, kind="day", day=DAYS[1])
    # Day 2: member_a 4/4, sentinel 3/4, member_c 3/4 (tie on score and correct: time decides, equal; then id).
    assert [r["member_id"] for r in day["rows"]][0] == world.members["member_a"].pk
    assert len(day["rows"]) == 3
    month = leaderboard(contest=season, org=world.root, kind="month", day=DAYS[2])
    assert [r["member_id"] for r in month["rows"]] == [world.members[n].pk for n, _v in EXPECTED]


def test_ties_go_to_less_total_time(world, contest):
    Contest.objects.filter(pk=contest.pk).update(questions_per_day=4, prior_weight=8, starts_on=DAYS[0])
    contest.refresh_from_db()
    play(contest, world.members["member_a"], DAYS[0], 4, second=20)
    play(contest, world.members["member_b"], DAYS[0], 4, second=10)
    board = leaderboard(contest=contest, org=world.root, kind="season", day=DAYS[0])
    assert [r["member_id"] for r in board["rows"]] == [world.members["member_b"].pk, world.members["member_a"].pk]


def test_the_snapshot_ranks_like_the_live_board(world, season):
    snap = snapshot_rebuild(contest=season, day=DAYS[2])
    rows = list(snap.rows.order_by("rank").values_list("member_id", "score"))
    assert [m for m, _s in rows] == [world.members[n].pk for n, _v in EXPECTED]
    assert [s for _m, s in rows] == pytest.approx([v for _n, v in EXPECTED], abs=1e-6)


def test_the_snapshot_board_of_any_subtree_is_the_live_board(world, season):
    """Whole contest, depths 1–3 (each from its own index) and a 党小组 below them."""
    from dangshi.orgs.models import OrgKind
    from dangshi.quiz.models import Standing
    from tests import factories as f

    group = f.org(world.branch_a, "第一党小组", OrgKind.GROUP, code="GRA")
    Standing.objects.filter(member=world.members["sentinel"]).update(org=group, org_path=group.path)
    orgs = [world.root, world.street, world.community, world.branch_a, group, world.street2, world.branch_c]
    me = world.members["sentinel"]

    def board(org):
        b = leaderboard(contest=season, org=org, kind="season", day=DAYS[2], me=me)
        return "snapshot" in b, [(r["member_id"], r["rank"]) for r in b["rows"]], (b["me"] or {}).get("rank")

    live = {org.code: board(org) for org in orgs}
    snapshot_rebuild(contest=season, day=DAYS[2])
    for org in orgs:
        from_snapshot, rows, my_rank = board(org)
        assert from_snapshot and not live[org.code][0]
        assert (rows, my_rank) == live[org.code][1:], org.code
    assert live["GRA"][1] == [(me.pk, 1)] and live["ROOT"][2] == 2


def test_a_snapshot_is_stamped_when_its_rows_are_written(world, season, monkeypatch):
    """A rebuild that takes minutes must not be stale on arrival (the board reads fresh ones only)."""
    from datetime import timedelta

    from dangshi.quiz.services import ranking

    start = ranking.timezone.now()
    clock = iter(start + timedelta(minutes=n) for n in range(100))
    monkeypatch.setattr(ranking.timezone, "now", lambda: next(clock))
    snap = snapshot_rebuild(contest=season, day=DAYS[2])
    snap.refresh_from_db()
    assert snap.built_at > start  # the first tick stamped the Snapshot row when it was created


def test_org_rankings_give_participation_and_accuracy(world, season):
    rows = {r["org"].code: r for r in org_rankings(contest=season, org=world.community, day=DAYS[2])}
    assert rows["BRA"]["participants"] == 2 and rows["BRA"]["members"] == 2
    assert rows["BRA"]["accuracy"] == pytest.approx(20 / 24)
    assert rows["BRB"]["participation"] == pytest.approx(1.0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_each_snapshot_is_a_partition_and_an_old_one_is_dropped(world, season):
    """A rebuild fills and indexes its own partition, then attaches it (no second index built by
    ATTACH) and vacuums it (outside a transaction, as the scheduled command runs); the previous
    unfrozen snapshot's table is dropped, a frozen one stays."""
    from django.db import connection

    from dangshi.quiz.models import Snapshot

    def partitions():
        with connection.cursor() as c:
            c.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                      "WHERE i.inhparent = 'quiz_snapshotrow'::regclass ORDER BY 1")
            return [name for (name,) in c.fetchall()]

    def indexes(table):
        with connection.cursor() as c:
            c.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
            return sorted(d.split(" USING ")[1] for (d,) in c.fetchall())

    frozen = snapshot_rebuild(contest=season, day=DAYS[2], frozen=True)
    first = snapshot_rebuild(contest=season, day=DAYS[2])
    second = snapshot_rebuild(contest=season, day=DAYS[2])
    mine = {f"quiz_snapshotrow_s{s.pk}" for s in (frozen, first, second)}
    assert mine & set(partitions()) == {f"quiz_snapshotrow_s{frozen.pk}", f"quiz_snapshotrow_s{second.pk}"}
    assert "quiz_snapshotrow_default" in partitions()
    assert not Snapshot.objects.filter(pk=first.pk).exists()
    assert indexes(f"quiz_snapshotrow_s{second.pk}") == indexes("quiz_snapshotrow") == sorted([
        "btree (snapshot_id, id)", "btree (snapshot_id, rank)", "btree (snapshot_id, member_id)",
        "btree (snapshot_id, path_1, rank)", "btree (snapshot_id, path_2, rank)", "btree (snapshot_id, path_3, rank)"])
    with connection.cursor() as c:
        c.execute("SELECT relallvisible FROM pg_class WHERE relname = %s", [f"quiz_snapshotrow_s{second.pk}"])
        assert c.fetchone()[0] > 0  # vacuumed: a member's rank in a subtree is an index-only count
    for snap in (frozen, second):  # read through the model, as the board and the certificates do
        rows = list(snap.rows.order_by("rank").values_list("member_id", flat=True))
        assert rows == [world.members[n].pk for n, _v in EXPECTED]
    season.snapshots.all().delete()  # a contest's snapshots deleted through the ORM: tables go too
    assert not mine & set(partitions())
