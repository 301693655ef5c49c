from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "dangshi.pledges"
    label = "pledges"
    verbose_name = _("承诺践诺")
    console_nav = [
        (_("审诺(待审核)"), "pledges:console_review", "admin"),
        (_("承诺待办"), "pledges:console_todo", "admin"),
        (_("单位承诺清单"), "pledges:console_units", "admin"),
        (_("履新清单"), "pledges:console_checklists", "admin"),
    ]
    member_nav = [
        (_("我的承诺"), "pledges:member_pledges", "member"),
    ]
