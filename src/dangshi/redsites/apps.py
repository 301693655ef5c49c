from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RedsitesConfig(AppConfig):
    name = "dangshi.redsites"
    label = "redsites"
    verbose_name = _("红色资源")
    console_nav = [
        (_("资源点管理"), "redsites:console_sites", "admin"),
        (_("团体参观预约"), "redsites:console_bookings", "admin"),
        (_("红色资源统计"), "redsites:console_stats", "admin"),
        (_("红色地图"), "redsites:map", "staff"),
    ]
    member_nav = [
        (_("红色地图"), "redsites:map", "member"),
        (_("我的足迹"), "redsites:footprints", "member"),
    ]
