from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from dangshi.accounts.models import LoginThrottle
from dangshi.accounts.passwords import CharacterClassValidator
from dangshi.core.demo import DEMO_PASSWORD
from tests.factories import PASSWORD


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_page_logs_in_and_lands_by_role(world, client):
    response = _login(client, "admin_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/")["Location"] == "/console/"
    client.post("/accounts/logout/")
    _login(client, "member_a", PASSWORD)
    assert client.get("/")["Location"] == "/m/"


def test_wrong_password_says_so_without_naming_which_part(world, client):
    response = _login(client, "admin_a", "wrong")
    assert response.status_code == 403
    assert "用户名或密码错误" in response.content.decode()
    assert "用户名或密码错误" in _login(client, "nobody-at-all", "wrong").content.decode()


def test_five_failures_lock_the_account_for_fifteen_minutes(world, client):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "admin_a", "wrong")
    response = _login(client, "admin_a", PASSWORD)  # right password, but locked
    assert response.status_code == 403
    assert "锁定" in response.content.decode()
    lock = LoginThrottle.objects.get(username="admin_a", client="127.0.0.1")
    assert timedelta(minutes=14) < lock.locked_until - timezone.now() <= timedelta(minutes=15)

    LoginThrottle.objects.filter(username="admin_a").update(locked_until=timezone.now() - timedelta(seconds=1))
    assert _login(client, "admin_a", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(username="admin_a").exists()


def test_the_api_token_endpoint_shares_the_lock(world, client):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post("/api/v1/auth/token", {"username": "admin_a", "password": "x"}, content_type="application/json")
    response = client.post("/api/v1/auth/token", {"username": "admin_a", "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "locked"


def test_open_redirect_after_login_is_refused(world, client):
    response = client.post("/accounts/login/?next=https://evil.example/", {"username": "admin_a", "password": PASSWORD})
    assert response["Location"] == "/"


@pytest.mark.parametrize(("password", "ok"), [
    ("Dangshi@2021", True), ("abcdefgh1!", True), ("ABCdef123", True),
    ("abcdefgh", False), ("abcdefg1", False), ("ABCDEFG!", False),
])
def test_password_needs_three_character_classes(password, ok):
    from django.core.exceptions import ValidationError

    try:
        CharacterClassValidator(3).validate(password)
    except ValidationError:
        assert not ok
    else:
        assert ok


def test_demo_password_meets_the_policy():
    from django.contrib.auth.password_validation import validate_password

    validate_password(DEMO_PASSWORD)


def test_password_change_enforces_policy_and_keeps_the_session(world, client):
    client.force_login(world.users["admin_a"])
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": "short",
                                                   "new_password2": "short"})
    assert response.status_code == 200 and "8" in response.content.decode()
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": "Better#Pass99",
                                                   "new_password2": "Better#Pass99"})
    assert response.status_code == 302
    assert client.get("/console/").status_code == 200
    world.users["admin_a"].refresh_from_db()
    assert world.users["admin_a"].check_password("Better#Pass99")


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request renews the idle window
