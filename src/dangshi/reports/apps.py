from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dangshi.reports"
    label = "reports"
    verbose_name = _("简报与统计")
    console_nav = [
        (_("驾驶舱"), "reports:console_dashboard", "admin"),
        (_("统计表"), "reports:console_table", "admin"),
        (_("简报与小结"), "reports:console_briefings", "admin"),
        (_("简报亮点"), "reports:console_highlights", "office"),
    ]
