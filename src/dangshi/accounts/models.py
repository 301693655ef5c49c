from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Roles (office, org admin, lecturer) are bound to orgs in `orgs.RoleBinding`;
    a member's login is linked from `orgs.Member.user`."""

    display_name = models.CharField(_("显示名"), max_length=50, blank=True)
    # A member's account is made with the roster entry, pending until its owner proves who
    # they are (an activation link from their branch, an SMS code to the phone on record).
    activated_at = models.DateTimeField(_("激活时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def account_state(self) -> str:
        """pending / active / disabled, as the console and the account API show it."""
        if not self.is_active:
            return AccountState.DISABLED
        return AccountState.ACTIVE if self.activated_at or self.has_usable_password() else AccountState.PENDING


class AccountState(models.TextChoices):
    PENDING = "pending", _("待激活")
    ACTIVE = "active", _("已激活")
    DISABLED = "disabled", _("已停用")


class LoginLock(models.Model):
    """Failed logins per username (existing or not, so that probing names learns nothing)."""

    username = models.CharField(max_length=150, primary_key=True)
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录锁定")
        verbose_name_plural = _("登录锁定")

    def __str__(self) -> str:
        return self.username


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 digest is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}…"


class ActivationLink(models.Model):
    """A one-time link (and QR code) a branch gives a member to set their password. Only the
    key's SHA-256 digest is stored; the key is printed once, on the activation sheet."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_links")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("激活链接")
        verbose_name_plural = _("激活链接")
        indexes = [models.Index(fields=["user", "used_at"], name="activation_user_open")]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class SignInCode(models.Model):
    """A 6-digit code sent by SMS to the phone on record. Hashed with the user's id, valid 5
    minutes, 5 tries; the phone itself is never stored here."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["user", "-created_at"], name="signin_code_latest")]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%H:%M}"
class LoginThrottle(models.Model):
    """Failed logins per (username, client address): the lock an attacker at one address earns
    falls on that pair only, so that guessing from elsewhere cannot lock the owner out."""

    username = models.CharField(max_length=150)
    client = models.CharField(max_length=45)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录限制")
        verbose_name_plural = _("登录限制")
        constraints = [models.UniqueConstraint(fields=["username", "client"], name="login_throttle_pair")]

    def __str__(self) -> str:
        return f"{self.username}@{self.client}"
