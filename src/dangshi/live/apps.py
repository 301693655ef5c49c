from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "dangshi.live"
    label = "live"
    verbose_name = _("现场竞赛")
    console_nav = [
        (_("现场竞赛"), "live:console_list", "admin"),
    ]
