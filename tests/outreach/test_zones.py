"""Editing a lecture group's zone (分片包干) in the console: who may, which orgs, the
warning for an org already in another zone, and the audit trail."""

import pytest

from dangshi.audit.models import AuditEvent
from dangshi.errors import Invalid, Refused
from dangshi.orgs.models import Role
from dangshi.orgs.scope import scope_for
from dangshi.outreach import services
from tests import factories as f
from tests.outreach import helpers as h


def _zone(group) -> list[str]:
    return list(group.zone.order_by("path").values_list("code", flat=True))


def _post(w, persona, group, action, org, **kw):
    return w.client(persona).post(f"/outreach/console/groups/{group.pk}/zone/", {"action": action, "org": org}, **kw)


@pytest.fixture
def community_admin(world):
    """An admin of 社区党委 (the parent org of 支部A and 支部B)."""
    user = f.user("admin_cm")
    f.role(user, Role.ORG_ADMIN, world.community)
    world.users["admin_cm"] = user
    return user


def test_office_adds_and_removes_orgs_and_each_change_is_audited(world):
    w = world
    group = h.group(w, persona="office", org=w.root, name="第一分团", zone=[w.branch_a])
    response = _post(w, "office", group, "add", "BRC")
    assert response.status_code == 302
    assert _zone(group) == ["BRA", "BRC"]
    added = AuditEvent.objects.get(action="outreach.group.zone_added")
    assert added.actor == w.users["office"] and added.data["orgs"] == ["BRC"]
    _post(w, "office", group, "remove", "BRA")
    assert _zone(group) == ["BRC"]
    removed = AuditEvent.objects.get(action="outreach.group.zone_removed")
    assert removed.data["orgs"] == ["BRA"] and removed.actor == w.users["office"]


def test_adding_an_org_in_another_groups_zone_warns_and_records_it(world):
    w = world
    h.group(w, persona="office", org=w.root, name="第一分团", zone=[w.branch_a])
    second = h.group(w, persona="office", org=w.root, name="第二分团")
    response = _post(w, "office", second, "add", "BRA", follow=True)
    body = response.content.decode()
    assert "已在其他宣讲组的片区中:第一分团" in body
    assert _zone(second) == ["BRA"]  # a warning, not a refusal
    assert AuditEvent.objects.get(action="outreach.group.zone_added").data["shared"] == {"BRA": ["第一分团"]}
    page = w.client("office").get(f"/outreach/console/groups/{second.pk}/zone/").content.decode()
    assert '<span class="tag">第一分团</span>' in page


def test_adding_everything_under_a_street_adds_its_grassroots_orgs(world):
    w = world
    group = h.group(w, persona="office", org=w.root, name="第一分团")
    _post(w, "office", group, "add_all", "ST1")
    assert _zone(group) == ["CM1", "BRA", "BRB"]
    with pytest.raises(Invalid) as exc:
        services.group_zone_add(scope=scope_for(w.users["office"]), actor=w.users["office"], group=group, orgs=[w.street])
    assert exc.value.field == "zone"


def test_parent_org_admin_edits_within_their_scope_only(world, community_admin):
    w = world
    group = h.group(w, persona="admin_cm", org=w.community, name="社区宣讲小组")
    _post(w, "admin_cm", group, "add", "BRB")
    assert _zone(group) == ["BRB"]
    _post(w, "admin_cm", group, "add", "BRC")  # another street: not in reach (not even found)
    with pytest.raises(Invalid):
        services.group_zone_add(scope=scope_for(community_admin), actor=community_admin, group=group, orgs=[w.branch_c])
    assert _zone(group) == ["BRB"]
    assert AuditEvent.objects.filter(action="outreach.group.zone_added").count() == 1


def test_a_group_formed_above_the_editor_is_out_of_reach(world, community_admin):
    w = world
    district = h.group(w, persona="office", org=w.root, name="区宣讲团", zone=[w.branch_a])
    for persona in ("admin_cm", "admin_a", "member_a", "outsider"):
        assert w.client(persona).get(f"/outreach/console/groups/{district.pk}/zone/").status_code == 404
        assert _post(w, persona, district, "remove", "BRA").status_code == 404
    with pytest.raises(Refused):
        services.group_zone_remove(scope=scope_for(community_admin), actor=community_admin, group=district, orgs=[w.branch_a])
    assert _zone(district) == ["BRA"]
    assert not AuditEvent.objects.filter(action__startswith="outreach.group.zone_").exists()


def test_sibling_admin_cannot_reach_the_group(world):
    w = world
    group = h.group(w, zone=[w.branch_a])
    assert w.client("admin_a").get(f"/outreach/console/groups/{group.pk}/zone/").status_code == 200
    assert w.client("admin_b").get(f"/outreach/console/groups/{group.pk}/zone/").status_code == 404
    assert _post(w, "admin_b", group, "add", "BRB").status_code == 404


def test_picker_starts_at_the_groups_org_and_lists_children_in_reach(world, community_admin):
    w = world
    group = h.group(w, persona="admin_cm", org=w.community, name="社区宣讲小组", zone=[w.branch_a])
    client = w.client("admin_cm")
    top = client.get(f"/outreach/console/groups/{group.pk}/zone/picker/").content.decode()
    assert "中共测试社区委员会" in top and "?org=CM1" in top
    level = client.get(f"/outreach/console/groups/{group.pk}/zone/picker/?org=CM1").content.decode()
    assert "测试社区第一党支部" in level and "已在片区" in level
    assert "测试社区第二党支部" in level and '"org": "BRB"' in level
    assert client.get(f"/outreach/console/groups/{group.pk}/zone/picker/?org=ST2").status_code == 404
    office = w.client("office").get(f"/outreach/console/groups/{group.pk}/zone/picker/?org=ST2")
    assert office.status_code == 404  # in the office's reach, but not under the group's org


def test_picker_add_answers_htmx_with_a_redirect(world):
    w = world
    group = h.group(w, zone=[])
    response = _post(w, "admin_a", group, "add", "BRA", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == f"/outreach/console/groups/{group.pk}/zone/"
    assert _zone(group) == ["BRA"]


def test_groups_page_links_to_the_zone_editor(world):
    w = world
    group = h.group(w, zone=[w.branch_a])
    assert f"/outreach/console/groups/{group.pk}/zone/" in w.client("admin_a").get("/outreach/console/groups/").content.decode()
