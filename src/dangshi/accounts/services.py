import hashlib
import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.accounts.models import ApiToken, LoginLock, LoginThrottle, User
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


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


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


# Columns read for the request's user, member and org; the rest stay deferred (loaded if
# touched). Plain columns only, so the raw row needs no backend converters; the member's
# encrypted phone and ID number are never read (and never decrypted) here.
_USER_FIELDS = {"id", "username", "first_name", "last_name", "email", "is_staff", "is_active", "is_superuser",
                "display_name"}
_MEMBER_FIELDS = {"id", "org_id", "user_id", "name", "gender", "category", "mobile", "youth", "two_new", "active"}
_ORG_FIELDS = {"id", "code", "name", "kind", "parent_id", "path", "depth", "grassroots", "two_new", "mobile",
               "position"}


def _columns(model, wanted: set[str]) -> list[str]:
    """`wanted` in the model's field order, as `Model.from_db` takes a subset."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in wanted]


def bearer_identity(key: str):
    """(user, scope) for a valid bearer key, or None. The token must be neither revoked nor
    expired and its user active; the scope is what `orgs.scope.scope_for` gives (the user's
    role bindings and active member record). All in one query: every member's daily quiz
    submission comes through here, and as four ORM queries it was about a third of the
    submission's CPU (issue #3). The member record, with its org, is cached on the user
    (`user.member`) for the endpoints that act as the member."""
    from dangshi.orgs.models import Member, Org, RoleBinding
    from dangshi.orgs.scope import scope_of

    user_cols, member_cols, org_cols = (_columns(User, _USER_FIELDS), _columns(Member, _MEMBER_FIELDS),
                                        _columns(Org, _ORG_FIELDS))
    select = [f"u.{c}" for c in user_cols] + [f"m.{c}" for c in member_cols] + [f"o.{c}" for c in org_cols]
    q = connection.ops.quote_name
    sql = f"""
        SELECT t.id, t.last_used_at, b.role, bo.path, {", ".join(select)}
        FROM {q(ApiToken._meta.db_table)} t
        JOIN {q(User._meta.db_table)} u ON u.id = t.user_id AND u.is_active
        LEFT JOIN {q(Member._meta.db_table)} m ON m.user_id = u.id AND m.active
        LEFT JOIN {q(Org._meta.db_table)} o ON o.id = m.org_id
        LEFT JOIN {q(RoleBinding._meta.db_table)} b ON b.user_id = u.id
        LEFT JOIN {q(Org._meta.db_table)} bo ON bo.id = b.org_id
        WHERE t.digest = %s AND t.revoked_at IS NULL AND t.expires_at > %s
    """  # noqa: S608 - table and column names come from the models; every value is a parameter
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, [token_digest(key), connection.ops.adapt_datetimefield_value(now)])
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    token_id, last_used = first[0], first[1]
    at = 4
    user = User.from_db(connection.alias, user_cols, first[at:at + len(user_cols)])
    at += len(user_cols)
    member = None
    if first[at] is not None:
        member = Member.from_db(connection.alias, member_cols, first[at:at + len(member_cols)])
        member.org = Org.from_db(connection.alias, org_cols, first[at + len(member_cols):])
        user.member = member  # caches both sides of the one-to-one: no query for request.user.member
    if last_used is not None and last_used.tzinfo is None:  # SQLite's raw rows are naive UTC
        last_used = last_used.replace(tzinfo=UTC)
    if last_used is None or now - last_used > TOKEN_TOUCH:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)  # throttled: not a write per request
    bindings = [(r[2], r[3]) for r in rows if r[2] is not None]
    scope = scope_of(user, bindings=bindings, member=(member.pk, member.org.path) if member else None)
    return user, scope


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


def tokens_revoke_all(*, user: User) -> int:
    """Revoke every live bearer token of `user` (after a password change, wherever it was made)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
