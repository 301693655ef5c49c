from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "dangshi.outreach"
    label = "outreach"
    verbose_name = _("宣讲与活动")
    console_nav = [
        (_("宣讲覆盖"), "outreach:console_coverage", "admin"),
        (_("未覆盖组织"), "outreach:console_gaps", "admin"),
        (_("宣讲记录"), "outreach:console_sessions", "staff"),
        (_("宣讲员"), "outreach:console_lecturers", "admin"),
        (_("宣讲团与片区"), "outreach:console_groups", "admin"),
        (_("活动与签到"), "outreach:console_activities", "admin"),
        (_("宣讲日历"), "outreach:console_calendar", "admin"),
    ]
    member_nav = [
        (_("我的活动"), "outreach:h5_activities", "member"),
        (_("我的宣讲"), "outreach:h5_lecturer", "staff"),
    ]

    def ready(self):
        from dangshi.audit.services import subscribe
        from dangshi.outreach.subscribers import record_visit

        subscribe("redsites.visit.held")(record_visit)
