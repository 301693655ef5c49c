"""Console and member H5 pages: they render, act through the services, and stay in scope."""

from django.urls import reverse

from dangshi.orgs.models import MemberCategory
from dangshi.practical.models import Matter, State
from tests import factories as f
from tests.practical.helpers import campaign, matter


def test_admin_creates_publishes_and_adds_a_milestone_on_the_console(world):
    campaign(world)
    c = world.client("admin_a")
    r = c.post(reverse("practical:console_matter_new"), {
        "title": "小区充电桩建设", "org": world.branch_a.code, "tier": "general", "level": "unit",
        "field": "livelihood", "planned_start": "2021-04-01", "planned_end": "2021-10-31", "claimant_cap": "3"})
    assert r.status_code == 302, r.content.decode()[:500]
    m = Matter.objects.get(title="小区充电桩建设")
    url = reverse("practical:console_matter", args=[m.pk])
    c.post(url, {"action": "publish"})
    c.post(url, {"action": "milestone", "title": "设备进场", "due_on": "2021-06-01"})
    m.refresh_from_db()
    assert m.state == State.PUBLISHED and m.milestones.get().title == "设备进场"
    page = c.get(url).content.decode()
    assert "设备进场" in page and "已发布" in page
    assert "小区充电桩建设" in c.get(reverse("practical:console_matters")).content.decode()


def test_console_refuses_an_org_out_of_scope(world):
    campaign(world)
    r = world.client("admin_a").post(reverse("practical:console_matter_new"), {
        "title": "越权", "org": world.branch_b.code, "planned_start": "2021-04-01", "planned_end": "2021-10-31"})
    assert r.status_code == 404
    assert not Matter.objects.filter(title="越权").exists()


def test_member_claims_jointly_on_the_h5_page_and_sees_it_under_my_claims(world):
    m = matter(world, org=world.branch_a, title="支部结对帮扶")
    leader = f.member(world.branch_a, "牵头人", user=f.user("lead_h5"), category=MemberCategory.LEADER)
    from dangshi.practical import services

    services.matter_claim(matter=m, member=leader, actor=leader.user)
    c = world.client("member_a")
    assert "支部结对帮扶" in c.get(reverse("practical:member_matters")).content.decode()
    page = c.get(reverse("practical:member_matter", args=[m.pk])).content.decode()
    assert "合领合办" in page and "牵头领办" not in page  # ordinary members may only join
    c.post(reverse("practical:member_matter", args=[m.pk]), {"joint": "1"})
    assert "支部结对帮扶" in c.get(reverse("practical:member_claims")).content.decode()
    assert m.claims.filter(member=world.members["member_a"], role="joint").exists()


def test_public_board_filters_and_hides_drafts(world, client):
    key = matter(world, org=world.branch_a, title="重点:老旧小区改造", tier="key", field="livelihood")
    matter(world, org=world.branch_c, title="一般:河道清淤", field="ecology")
    matter(world, org=world.branch_a, title="草稿不公开", publish=False)
    body = client.get(reverse("practical:board")).content.decode()
    assert "重点:老旧小区改造" in body and "一般:河道清淤" in body and "草稿不公开" not in body
    assert "河道清淤" not in client.get(reverse("practical:board") + "?tier=key").content.decode()
    assert "老旧小区" not in client.get(reverse("practical:board") + "?field=ecology").content.decode()
    by_org = client.get(reverse("practical:board") + f"?org={world.street2.code}").content.decode()
    assert "河道清淤" in by_org and "老旧小区" not in by_org
    assert client.get(reverse("practical:board_matter", args=[key.pk])).status_code == 200
