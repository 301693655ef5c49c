from dangshi.orgs.models import Role
from tests import factories as f


def test_staff_office_of_a_street_sees_only_its_subtree_in_the_admin(world, client):
    street_office = f.user("street_office", is_staff=True)
    f.role(street_office, Role.OFFICE, world.street)
    client.force_login(street_office)
    body = client.get("/admin/orgs/member/").content.decode()
    assert "甲支部党员" in body and "乙支部党员" in body
    assert "丙支部党员" not in body  # member of the other street
    assert client.get(f"/admin/orgs/member/{world.members['member_c'].pk}/change/").status_code == 302


def test_admin_is_read_only_for_office_users(world, client):
    client.force_login(world.users["office"])
    member = world.members["member_a"]
    response = client.post(f"/admin/orgs/member/{member.pk}/change/", {"name": "改名"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.name == "甲支部党员"


def test_non_staff_personas_are_sent_to_the_admin_login(world, client):
    for persona in ("admin_a", "member_a", "outsider"):
        client.force_login(world.users[persona])
        response = client.get("/admin/orgs/member/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
