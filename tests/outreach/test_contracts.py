from django.utils import timezone

from dangshi.core.contracts import providers
from dangshi.outreach import selectors, services
from tests.outreach import helpers as h


def _facts(root_path=""):
    today = timezone.localdate()
    out = {}
    for fact in selectors.rollup_facts(start=today.replace(day=1), end=today, root_path=root_path):
        out[(fact.org_path, fact.metric)] = out.get((fact.org_path, fact.metric), 0) + fact.value
    return out


def test_rollup_counts_a_session_at_its_host_and_coverage_at_each_covered_org(world):
    w = world
    h.session(w, persona="office", org=w.community, covered=[w.branch_a, w.branch_b], audience_offline=50,
              audience_online=900, online_platform="视频号")
    facts = _facts()
    assert facts[(w.community.path, "outreach.sessions")] == 1
    assert facts[(w.community.path, "outreach.audience_offline")] == 50
    assert facts[(w.community.path, "outreach.audience_online")] == 900
    assert facts[(w.branch_a.path, "outreach.orgs_covered")] == 1
    assert facts[(w.branch_b.path, "outreach.sessions_received")] == 1
    assert sum(v for (p, m), v in facts.items() if m == "outreach.sessions") == 1
    assert set(selectors.ROLLUP_METRICS) >= {m for _, m in facts}
    assert not _facts(root_path=w.street2.path)


def test_rollup_counts_activities_and_sign_ins(world):
    activity = h.activity(world)
    services.attendance_sign(activity=activity, member=world.members["member_a"], token=activity.signin_token)
    facts = _facts()
    assert facts[(world.branch_a.path, "outreach.activities")] == 1
    assert facts[(world.branch_a.path, "outreach.attendances")] == 1


def test_agenda_lists_orgs_with_no_session_this_month(world):
    w = world
    h.session(w, org=w.branch_a)
    today = timezone.localdate()
    items = selectors.agenda_items(root=w.root, week_start=today, week_end=today)
    names = {i.org_name for i in items}
    assert "测试社区第二党支部" in names and "测试社区第一党支部" not in names
    assert all(i.kind == "org_no_session" and i.module == "outreach" and i.url for i in items)


def test_member_figures_give_attendance(world):
    activity = h.activity(world)
    services.attendance_sign(activity=activity, member=world.members["member_a"], token=activity.signin_token)
    today = timezone.localdate()
    figures = selectors.member_figures(member=world.members["member_a"], start=today, end=today)
    assert figures["签到参加活动"] == 1 and figures["活动出勤率"] == "100%"


def test_the_contracts_are_discoverable(world):
    assert "outreach" in {label for label, _ in providers("rollup_facts")}
    assert "outreach" in {label for label, _ in providers("agenda_items")}
    assert "outreach" in {label for label, _ in providers("member_figures")}
