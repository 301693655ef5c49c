from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Roles (office, org admin, lecturer) are bound to orgs in `orgs.RoleBinding`;
    a member's login is linked from `orgs.Member.user`."""

    display_name = models.CharField(_("显示名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


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
