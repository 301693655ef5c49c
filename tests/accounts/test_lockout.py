"""The login lock falls on the (account, client address) pair; an account-wide ceiling an
office lifts; the admin login behind the same checks (issue 17, finding 2)."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from dangshi.accounts.models import LoginLock, LoginThrottle
from dangshi.audit.models import AuditEvent
from tests.factories import PASSWORD


def _login(address, username, password, path="/accounts/login/"):
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


def test_attacker_failing_from_one_address_cannot_lock_the_owner_out_from_another(world, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES + 3):
        _login("198.51.100.9", "admin_a", "wrong")
    assert _login("198.51.100.9", "admin_a", PASSWORD).status_code == 403  # the attacker's pair is locked
    assert _login("203.0.113.5", "admin_a", PASSWORD).status_code == 302  # the owner, elsewhere, gets in


def test_repeated_guessing_from_one_address_waits_longer_each_time(world, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login("198.51.100.9", "admin_a", "wrong")
    pair = LoginThrottle.objects.get(username="admin_a", client="198.51.100.9")
    first = pair.locked_until - pair.last_failure_at
    assert first == timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    LoginThrottle.objects.filter(pk=pair.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    _login("198.51.100.9", "admin_a", "wrong")  # one more guess once the lock runs out
    pair.refresh_from_db()
    assert pair.locked_until - pair.last_failure_at == 2 * first


def test_failures_from_many_addresses_hit_the_account_ceiling_which_an_office_lifts(world, settings):
    settings.LOGIN_ACCOUNT_CEILING = 6
    for i in range(6):
        _login(f"198.51.100.{i + 1}", "admin_a", "wrong")
    refused = _login("203.0.113.5", "admin_a", PASSWORD)
    assert refused.status_code == 403 and "学习教育办公室" in refused.content.decode()
    assert LoginLock.objects.get(username="admin_a").locked_until > timezone.now()

    office = world.client("office")
    page = office.get("/accounts/locks/")
    assert page.status_code == 200 and "admin_a" in page.content.decode()
    assert office.post("/accounts/locks/lift/", {"username": "admin_a"}).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.lock.lifted", actor=world.users["office"],
                                data__username="admin_a").exists()
    assert _login("203.0.113.5", "admin_a", PASSWORD).status_code == 302


def test_outsider_member_and_branch_admin_can_neither_see_nor_lift_locks(world):
    LoginLock.objects.create(username="office", failures=99, locked_until=timezone.now() + timedelta(hours=1))
    for persona in ("outsider", "member_a", "admin_a"):
        client = world.client(persona)
        assert client.get("/accounts/locks/").status_code == 404
        assert client.post("/accounts/locks/lift/", {"username": "office"}).status_code == 404
    assert LoginLock.objects.filter(username="office").exists()
    assert Client().get("/accounts/locks/").status_code == 302  # anonymous: to the login page


def test_admin_login_guessing_is_locked_like_the_login_page(world, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login("198.51.100.9", "office", "wrong", path="/admin/login/")
    client = Client(REMOTE_ADDR="198.51.100.9")
    response = client.post("/admin/login/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 200 and "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginThrottle.objects.get(username="office", client="198.51.100.9").failures == settings.LOGIN_MAX_FAILURES


def test_admin_login_still_lets_staff_in_and_keeps_members_out(world):
    staff = Client(REMOTE_ADDR="203.0.113.5")
    assert staff.post("/admin/login/", {"username": "office", "password": PASSWORD}).status_code == 302
    member = Client(REMOTE_ADDR="203.0.113.6")
    assert member.post("/admin/login/", {"username": "member_a", "password": PASSWORD}).status_code == 200
    assert "_auth_user_id" not in member.session


def test_a_branch_meeting_behind_one_address_is_not_rate_limited(world, settings):
    # The old limit (30 per 5 minutes per address) refused the 31st; a meeting needs more.
    assert settings.LOGIN_ADDRESS_LIMIT >= 100
    for _ in range(40):
        assert _login("203.0.113.5", "member_a", PASSWORD).status_code == 302
