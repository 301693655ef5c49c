from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "dangshi.learning"
    label = "learning"
    verbose_name = _("学习内容")
    console_nav = [
        (_("内容编审"), "learning:console_items", "admin"),
        (_("五个一"), "learning:console_five_ones", "admin"),
        (_("学习积分"), "learning:console_points", "admin"),
        (_("积分规则"), "learning:console_point_rules", "admin"),
        (_("推送与广播"), "learning:console_pushes", "admin"),
    ]
    member_nav = [
        (_("每日学习"), "learning:h5_today", "member"),
        (_("学习栏目"), "learning:h5_columns", "member"),
        (_("学习记录"), "learning:h5_history", "member"),
    ]

    def ready(self):
        from dangshi.learning.services.reading import register_subscribers

        register_subscribers()
