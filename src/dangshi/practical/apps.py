from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticalConfig(AppConfig):
    name = "dangshi.practical"
    label = "practical"
    verbose_name = _("我为群众办实事")
    console_nav = [
        (_("实事清单"), "practical:console_matters", "admin"),
        (_("开工率与进度"), "practical:console_stats", "admin"),
        (_("未认领领导干部"), "practical:console_must_claim", "office"),
        (_("党员办实事确认"), "practical:console_deeds", "admin"),
        (_("实事公示栏"), "practical:board", "admin"),
    ]
    member_nav = [
        (_("我的实事"), "practical:member_claims", "member"),
        (_("认领实事"), "practical:member_matters", "member"),
        (_("登记办实事"), "practical:member_deed_new", "member"),
    ]
