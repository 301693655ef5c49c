import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.accounts.models import ApiToken, LoginLock, User
from dangshi.accounts.selectors import token_digest
from dangshi.audit.services import log_event
from dangshi.core import ratelimit
from dangshi.core.context import current
from dangshi.errors import Invalid, Refused

TOKEN_DAYS = 90


def _normalise(username: str) -> str:
    return username.strip().lower()[:150]


def login_check(*, username: str, password: str, request=None) -> User:
    """Authenticate, enforcing the lockout (5 failures → 15 minutes) and a per-IP rate limit.

    Raises Refused with one message for wrong name and wrong password alike.
    """
    ip = current().ip or "unknown"
    ratelimit.check(f"login-ip:{ip}", limit=30, window=300)
    key = _normalise(username)
    now = timezone.now()
    lock = LoginLock.objects.filter(username=key).first()
    if lock and lock.locked_until and lock.locked_until > now:
        minutes = max(1, int((lock.locked_until - now).total_seconds() // 60) + 1)
        raise Refused(_("连续登录失败次数过多,账号已锁定,请 %(m)d 分钟后再试。") % {"m": minutes}, code="locked")

    user = authenticate(request, username=username.strip(), password=password)
    if user is None:
        _record_failure(key, now)
        log_event("accounts.login.failed", actor=None, data={"username": key})
        raise Refused(_("用户名或密码错误。"), code="bad_credentials")
    LoginLock.objects.filter(username=key).delete()
    log_event("accounts.login.succeeded", actor=user, obj=user)
    return user


def _record_failure(key: str, now) -> None:
    with transaction.atomic():
        lock, _created = LoginLock.objects.select_for_update().get_or_create(username=key)
        if lock.locked_until and lock.locked_until <= now:
            lock.failures = 0  # the lock has run out: start counting afresh
            lock.locked_until = None
        lock.failures = F("failures") + 1
        lock.last_failure_at = now
        lock.save()
        lock.refresh_from_db()
        if lock.failures >= settings.LOGIN_MAX_FAILURES:
            lock.locked_until = now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            lock.save(update_fields=["locked_until"])


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
    user.set_password(new_password)
    user.save(update_fields=["password"])
    log_event("accounts.password.changed", actor=user, obj=user)
