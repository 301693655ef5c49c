import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.accounts.models import ActivationLink, ApiToken, LoginLock, LoginThrottle, SignInCode, User
from dangshi.accounts.selectors import token_digest
from dangshi.audit.services import log_event
from dangshi.core import ratelimit
from dangshi.core.context import current
from dangshi.errors import Invalid, Refused

TOKEN_DAYS = 90


def _normalise(username: str) -> str:
    return username.strip().lower()[:150]


def login_check(*, username: str, password: str, request=None) -> User:
    """Authenticate behind three checks: a per-address rate limit (LOGIN_ADDRESS_LIMIT per 5
    minutes, sized for a branch meeting behind one address: docs/security.md), the lock of the
    (account, client address) pair (LOGIN_MAX_FAILURES failures → LOGIN_LOCK_MINUTES, doubling
    with each further failure), and an account-wide ceiling (LOGIN_ACCOUNT_CEILING failures
    from anywhere within a day) that stays until it runs out or an office lifts it.

    The client address is `core.context.client_ip`'s. Raises Refused with one message for
    wrong name and wrong password alike.
    """
    ip = current().ip or "unknown"
    ratelimit.check(f"login-ip:{ip}", limit=settings.LOGIN_ADDRESS_LIMIT, window=300)
    key = _normalise(username)
    now = timezone.now()
    pair = LoginThrottle.objects.filter(username=key, client=ip).first()
    if pair and pair.locked_until and pair.locked_until > now:
        raise Refused(_("连续登录失败次数过多,账号已锁定,请 %(m)d 分钟后再试。") % {"m": _minutes(pair.locked_until, now)},
                      code="locked")
    ceiling = LoginLock.objects.filter(username=key).first()
    if ceiling and ceiling.locked_until and ceiling.locked_until > now:
        raise Refused(_("账号在多处登录失败次数过多,已暂停登录,请联系学习教育办公室解除锁定。"), code="locked")

    user = authenticate(request, username=username.strip(), password=password)
    if user is None:
        _record_failure(key, ip, now)
        log_event("accounts.login.failed", actor=None, data={"username": key})
        raise Refused(_("用户名或密码错误。"), code="bad_credentials")
    LoginThrottle.objects.filter(username=key, client=ip).delete()
    log_event("accounts.login.succeeded", actor=user, obj=user)
    return user


def _minutes(until, now) -> int:
    return max(1, int((until - now).total_seconds() // 60) + 1)


LOCK_CAP = timedelta(hours=24)  # the longest a pair's progressive lock grows, and the ceiling's window


def _record_failure(key: str, ip: str, now) -> None:
    """Count a failure on the pair and on the account (rows locked: concurrent failures from
    one address must all count, or a burst would slip past the limit)."""
    with transaction.atomic():
        pair, _created = LoginThrottle.objects.select_for_update().get_or_create(username=key, client=ip)
        if pair.last_failure_at and now - pair.last_failure_at > LOCK_CAP:
            pair.failures = 0  # a day without failures: start afresh
        pair.failures += 1
        pair.last_failure_at = now
        over = pair.failures - settings.LOGIN_MAX_FAILURES
        if over >= 0:
            pair.locked_until = now + min(timedelta(minutes=settings.LOGIN_LOCK_MINUTES) * (2 ** min(over, 10)), LOCK_CAP)
        pair.save()

        account, _created = LoginLock.objects.select_for_update().get_or_create(username=key)
        if account.last_failure_at and now - account.last_failure_at > LOCK_CAP:
            account.failures = 0
            account.locked_until = None
        account.failures += 1
        account.last_failure_at = now
        if account.failures >= settings.LOGIN_ACCOUNT_CEILING and not account.locked_until:
            account.locked_until = now + LOCK_CAP
            log_event("accounts.lock.ceiling", actor=None, data={"username": key, "failures": account.failures})
        account.save()


def login_lock_lift(*, username: str, actor: User) -> int:
    """An office lifts an account's locks (the ceiling and every pair's). Returns the number of
    lock rows removed; the caller has checked that `actor` is an office user."""
    key = _normalise(username)
    with transaction.atomic():
        removed = LoginLock.objects.filter(username=key).delete()[0]
        removed += LoginThrottle.objects.filter(username=key).delete()[0]
        if not removed:
            raise Invalid(_("该账号没有登录锁定。"), field="username")
        log_event("accounts.lock.lifted", actor=actor, data={"username": key, "rows": removed})
    return removed


def token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new bearer token; the clear key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=token_digest(key),
        prefix=key[:8],
        name=name[:100],
        expires_at=timezone.now() + timedelta(days=TOKEN_DAYS),
    )
    log_event("accounts.token.issued", actor=user, obj=token, data={"prefix": token.prefix})
    return token, key


def token_revoke(*, token: ApiToken, actor: User) -> None:
    if token.user_id != actor.pk and not actor.is_superuser:
        raise Refused(_("只能撤销自己的令牌。"))
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        log_event("accounts.token.revoked", actor=actor, obj=token, data={"prefix": token.prefix})


# last_used_at is written at most this often per token: not a write per request.
TOKEN_TOUCH = timedelta(minutes=5)


def token_touch(*, token_id: int, last_used, now) -> None:
    """Record a token's use, at most every TOKEN_TOUCH (called by the bearer auth)."""
    if last_used is not None and last_used.tzinfo is None:  # SQLite's raw rows are naive UTC
        last_used = last_used.replace(tzinfo=UTC)
    if last_used is None or now - last_used > TOKEN_TOUCH:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise Invalid(_("原密码不正确。"), field="old_password")
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="new_password") from None
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        # Whoever held the old password may hold a token made with it: revoke them all. Other
        # sessions end by themselves: Django checks each session's password hash on every request
        # (the caller keeps its own with update_session_auth_hash).
        revoked = tokens_revoke_all(user=user)
        log_event("accounts.password.changed", actor=user, obj=user, data={"tokens_revoked": revoked})


# -- member accounts: pending until their owner proves who they are (issue 14) ------------
ACTIVATION_DAYS = 14
CODE_MINUTES = 5
CODE_TRIES = 5


def users_create_pending(*, people: list[tuple[str, str]]) -> list[User]:
    """Accounts for new roster entries, as (username, display name): active but with no usable
    password until activated. No shared default password, ever."""
    users = []
    for username, display in people:
        user = User(username=username, display_name=display[:50])
        user.set_unusable_password()
        users.append(user)
    return User.objects.bulk_create(users, batch_size=1000)


def account_disable(*, user: User, reason: str, actor=None) -> None:
    """A member who left the roster (转出 the district, 出党, 去世): the login stops, the records stay."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        ActivationLink.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
        log_event("accounts.account.disabled", actor=actor, obj=user, data={"reason": reason[:100]})


def activation_issue(*, users: list[User], actor=None) -> dict[int, str]:
    """A new one-time link for each user (older open links are void): {user id: key}. The keys
    go on the activation sheet and nowhere else."""
    now = timezone.now()
    keys = {u.pk: secrets.token_urlsafe(24) for u in users}
    with transaction.atomic():
        ActivationLink.objects.filter(user_id__in=list(keys), used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now)
        ActivationLink.objects.bulk_create(
            [ActivationLink(user_id=uid, digest=token_digest(key), expires_at=now + timedelta(days=ACTIVATION_DAYS),
                            issued_by=actor if getattr(actor, "pk", None) else None) for uid, key in keys.items()],
            batch_size=1000)
        log_event("accounts.activation.issued", actor=actor, data={"users": len(keys)})
    return keys


def activation_redeem(*, key: str, password: str) -> User:
    """Set the password through a one-time link and activate the account. Single use: the
    compare-and-set on used_at lets one of two simultaneous uses through."""
    link = ActivationLink.objects.select_related("user").filter(digest=token_digest(key or "")).first()
    now = timezone.now()
    if link is None or link.revoked_at or link.used_at or link.expires_at <= now or not link.user.is_active:
        raise Invalid(_("激活链接无效或已过期,请向所在支部索取新的激活链接。"), field="token", code="bad_link")
    user = link.user
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from None
    with transaction.atomic():
        if not ActivationLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
            raise Invalid(_("激活链接无效或已过期,请向所在支部索取新的激活链接。"), field="token", code="bad_link")
        _password_set(user, password, now=now)
        log_event("accounts.account.activated", actor=user, obj=user, data={"via": "link"})
    return user


def _password_set(user: User, password: str, *, now) -> None:
    """A new password ends every other way in: bearer tokens and other sessions."""
    user.set_password(password)
    user.activated_at = user.activated_at or now
    user.save(update_fields=["password", "activated_at"])
    tokens_revoke_all(user=user)


def _code_digest(user_id: int, code: str) -> str:
    return token_digest(f"{user_id}:{code}")


def sign_in_code_issue(*, user: User | None, rate_key: str, client: str) -> str | None:
    """A 6-digit code for `user` (None: the phone is not on record: nothing is sent, and the
    caller answers the same as for a known phone). Limited per phone (`rate_key`, the phone's
    digest) and per client address. Returns the code for the sender, never for the page."""
    ratelimit.check(f"signin-code:{rate_key}", limit=3, window=600)
    ratelimit.check(f"signin-code-client:{client or 'unknown'}", limit=30, window=600)
    if user is None or not user.is_active:
        return None
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    with transaction.atomic():
        SignInCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)  # one open code at a time
        SignInCode.objects.create(user=user, digest=_code_digest(user.pk, code),
                                  expires_at=now + timedelta(minutes=CODE_MINUTES))
        log_event("accounts.code.issued", actor=None, obj=user)
    return code


def sign_in_code_check(*, user: User | None, code: str) -> User:
    """The user, if `code` is their open code; every wrong try counts (committed, whatever the
    caller does next), and the fifth locks the code."""
    refused = Invalid(_("验证码不正确或已过期。"), field="code", code="bad_code")
    if user is None or not user.is_active:
        raise refused
    now = timezone.now()
    with transaction.atomic():
        row = (SignInCode.objects.select_for_update().filter(user=user, used_at__isnull=True, expires_at__gt=now)
               .order_by("-created_at").first())
        if row is None or row.attempts >= CODE_TRIES:
            raise refused
        matched = secrets.compare_digest(row.digest, _code_digest(user.pk, (code or "").strip()))
        if matched:
            # The compare-and-set on used_at lets one of two simultaneous right answers through.
            matched = bool(SignInCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now))
        else:
            SignInCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        if matched and not user.activated_at:
            User.objects.filter(pk=user.pk).update(activated_at=now)
            user.activated_at = now
        log_event("accounts.login.succeeded" if matched else "accounts.code.failed", actor=user if matched else None,
                  obj=user, data={"via": "sms"})
    if not matched:
        raise refused
    return user


def password_set_after_code(*, user: User, password: str) -> None:
    """Set or reset the password of a user who has just proved the phone with a code."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from None
    with transaction.atomic():
        _password_set(user, password, now=timezone.now())
        log_event("accounts.password.reset", actor=user, obj=user, data={"via": "sms"})


CODE_PROOF_SECONDS = 600
_PROOF_KEY = "accounts.code_proved_at"


def code_proof_mark(session) -> None:
    """The session's user proved their phone just now: they may set a password without the old one."""
    session[_PROOF_KEY] = timezone.now().timestamp()


def code_proof_fresh(session) -> bool:
    at = session.get(_PROOF_KEY)
    return bool(at) and timezone.now().timestamp() - at < CODE_PROOF_SECONDS


def code_proof_clear(session) -> None:
    session.pop(_PROOF_KEY, None)
def tokens_revoke_all(*, user: User) -> int:
    """Revoke every live bearer token of `user` (after a password change, wherever it was made)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
