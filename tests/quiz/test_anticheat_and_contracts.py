from datetime import date

from dangshi.core.contracts import providers
from dangshi.quiz.models import Attempt
from dangshi.quiz.selectors import agenda_items, member_figures, rollup_facts
from dangshi.quiz.selectors.anticheat import report
from dangshi.quiz.services import attempt_start, attempt_submit
from tests.quiz.conftest import at
from tests.quiz.test_daily import right_answers

DAY = date(2021, 7, 1)


def _take(contest, member, *, seconds: int, ip: str, ms: int | None = None):
    attempt = attempt_start(contest=contest, member=member, now=at(DAY), ip=ip)
    timings = {str(i.question_id): ms for i in attempt.items.all()} if ms else None
    return attempt_submit(contest=contest, member=member, answers=right_answers(attempt), timings=timings,
                          now=at(DAY, 9, 0, seconds))


def test_report_shows_fast_attempts_shared_ips_and_identical_timing(world, contest, settings):
    from dangshi.quiz.selectors import anticheat

    anticheat.SHARED_BY = 2
    anticheat.PATTERN_BY = 2
    try:
        fast = _take(contest, world.members["member_a"], seconds=5, ip="10.0.0.9", ms=3200)
        slow = _take(contest, world.members["member_c"], seconds=30, ip="10.0.0.9", ms=3200)
        assert fast.pattern and fast.pattern == Attempt.objects.get(pk=slow.pk).pattern
        found = report(attempts=Attempt.objects.filter(contest=contest))
    finally:
        anticheat.SHARED_BY, anticheat.PATTERN_BY = 5, 3
    assert [a.member_id for a in found["fast"]] == [world.members["member_a"].pk]
    assert found["shared_ip"][0]["people"] == 2
    assert found["patterns"][0]["people"] == 2


def test_flagging_from_the_report_is_for_the_office_only(world, contest):
    member = world.members["member_a"]
    assert world.client("admin_a").post("/quiz/console/anticheat/", {"member": member.pk, "reason": "x"}).status_code == 404
    response = world.client("office").post(f"/quiz/console/anticheat/?contest={contest.pk}",
                                           {"member": member.pk, "reason": "答题过快"})
    assert response.status_code == 302
    assert contest.flags.get().member == member


def test_contracts_sum_per_org_and_name_lagging_branches(world, contest):
    _take(contest, world.members["member_a"], seconds=30, ip="10.0.0.1")
    _take(contest, world.members["member_c"], seconds=30, ip="10.0.0.2")
    facts = list(rollup_facts(start=DAY, end=DAY, root_path=world.root.path))
    by = {(f.org_path, f.metric): f.value for f in facts}
    assert by[(world.branch_a.path, "quiz.attempts")] == 1
    assert by[(world.branch_a.path, "quiz.correct")] == 10
    assert by[(world.branch_c.path, "quiz.answered")] == 10
    assert "quiz" in dict(providers("ROLLUP_METRICS"))
    figures = member_figures(member=world.members["member_a"], start=DAY, end=DAY)
    assert list(figures.values()) == [1, 10, "100%"]
    from tests import factories as f

    for i in range(3):
        f.member(world.branch_b, f"乙支部党员{i}")
    items = agenda_items(root=world.root, week_start=DAY, week_end=DAY)
    assert world.branch_b.pk in {i.org_id for i in items}
    assert world.branch_a.pk not in {i.org_id for i in items}
