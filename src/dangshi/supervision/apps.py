from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "dangshi.supervision"
    label = "supervision"
    verbose_name = _("督导调度")
    console_nav = [
        (_("组织架构与分工"), "supervision:console_structure", "admin"),
        (_("任务清单"), "supervision:console_tasks", "admin"),
        (_("每周调度"), "supervision:console_dispatch", "admin"),
        (_("巡回指导"), "supervision:console_visits", "admin"),
        (_("季季评"), "supervision:console_reviews", "admin"),
        (_("单位比武"), "supervision:console_competitions", "admin"),
    ]
    member_nav = [(_("我的季季评"), "supervision:member_reviews", "member")]
