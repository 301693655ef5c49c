from django.db import connection

from tests.conftest import SENTINEL_ID, SENTINEL_PHONE


def test_phone_and_id_number_are_not_in_clear_in_the_database_columns(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number, id_digest FROM orgs_member WHERE name = %s", ["哨兵甲乙丙"])
        phone, id_number, id_digest = cursor.fetchone()
    assert SENTINEL_PHONE not in phone and SENTINEL_ID not in id_number
    assert SENTINEL_ID not in id_digest and len(id_digest) == 64
    assert world.members["sentinel"].__class__.objects.get(pk=world.members["sentinel"].pk).phone == SENTINEL_PHONE


def test_console_pages_show_only_masks(world, client):
    client.force_login(world.users["admin_a"])
    for url in ("/orgs/console/members/", f"/orgs/console/members/{world.members['sentinel'].pk}/"):
        body = client.get(url).content.decode()
        assert "139****5678" in body
        assert SENTINEL_PHONE not in body and SENTINEL_ID not in body


def test_admin_shows_only_masks(world, client):
    client.force_login(world.users["office"])
    body = client.get(f"/admin/orgs/member/{world.members['sentinel'].pk}/change/").content.decode()
    assert "139****5678" in body and SENTINEL_PHONE not in body and SENTINEL_ID not in body
