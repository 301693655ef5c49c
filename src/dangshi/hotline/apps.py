from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "dangshi.hotline"
    label = "hotline"
    verbose_name = _("12345诉求")
    console_nav = [
        (_("诉求工单"), "hotline:console_queue", "admin"),
        (_("考核指标"), "hotline:console_kpis", "office"),
        (_("工单导入"), "hotline:console_import", "office"),
    ]
