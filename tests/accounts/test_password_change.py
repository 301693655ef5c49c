"""A password change ends what the old password opened (issue 17, finding 8)."""

from django.test import Client

from dangshi.accounts.services import token_issue
from tests.factories import PASSWORD

NEW = "Neuer#Pass2026"


def _change(client):
    return client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": NEW, "new_password2": NEW})


def test_stolen_bearer_token_stops_working_after_the_password_change(world):
    _token, key = token_issue(user=world.users["admin_a"], name="laptop")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert Client().get("/api/v1/me", **auth).status_code == 200
    assert _change(world.client("admin_a")).status_code == 302
    assert Client().get("/api/v1/me", **auth).status_code == 401


def test_other_sessions_end_and_the_changing_session_stays(world):
    thief, owner = Client(), Client()
    thief.post("/accounts/login/", {"username": "admin_a", "password": PASSWORD})
    owner.post("/accounts/login/", {"username": "admin_a", "password": PASSWORD})
    assert thief.get("/console/").status_code == 200
    assert _change(owner).status_code == 302
    assert owner.get("/console/").status_code == 200
    assert thief.get("/console/").status_code == 302  # back to the login page


def test_a_password_set_in_the_admin_also_ends_the_users_tokens(world):
    world.users["office"].is_superuser = True
    world.users["office"].save()
    _token, key = token_issue(user=world.users["admin_a"], name="laptop")
    url = f"/admin/accounts/user/{world.users['admin_a'].pk}/password/"
    response = world.client("office").post(url, {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert response.status_code == 302
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
