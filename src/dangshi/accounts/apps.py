from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangshi.accounts"
    label = "accounts"
    verbose_name = _("账号")
    console_nav = [(_("登录锁定"), "accounts:console_locks", "office")]
