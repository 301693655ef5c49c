"""红色资源: sites, heroes, teaching routes, check-ins, visitor counts and group visits.

Sites, heroes and routes are a public catalogue (anyone may read them); each site and
route is managed by an org, whose admins edit it. Check-ins, visitor counts, bookings
and the figures built from them are scoped by org (see docs/redsites.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SiteKind(models.TextChoices):
    MEMORIAL = "memorial", _("纪念馆")
    FORMER_SITE = "former_site", _("革命遗址/旧址")
    MARTYRS = "martyrs", _("烈士陵园/纪念设施")
    PATRIOTIC_BASE = "patriotic_base", _("爱国主义教育基地")
    STATION = "station", _("党史学习驿站")
    CLASSROOM = "classroom", _("实境课堂")
    LIBRARY = "library", _("农家书屋")


class SiteLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")


class Site(models.Model):
    """A red site. `lat`/`lng` are WGS-84; convert with redsites.geo for Chinese map services."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=20, choices=SiteKind)
    level = models.CharField(_("级别"), max_length=12, choices=SiteLevel, default=SiteLevel.DISTRICT)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度(WGS-84)"))
    lng = models.FloatField(_("经度(WGS-84)"))
    opening_hours = models.CharField(_("开放时间"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(_("每场次接待人数"), default=50)
    contact = models.CharField(_("联系电话"), max_length=30, blank=True, help_text=_("场馆办公电话"))
    description = models.TextField(_("简介"), blank=True)
    geofence_m = models.PositiveIntegerField(
        _("打卡范围(米)"), null=True, blank=True, help_text=_("留空则不校验位置;填写后须在该距离内打卡")
    )
    org = models.ForeignKey("orgs.Org", verbose_name=_("管理组织"), on_delete=models.PROTECT, related_name="red_sites")
    is_demo = models.BooleanField(_("演示数据"), default=False)
    active = models.BooleanField(_("开放"), default=True)

    class Meta:
        verbose_name = _("红色资源点")
        verbose_name_plural = _("红色资源点")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(lat__gte=-90, lat__lte=90), name="redsite_lat_range"),
            models.CheckConstraint(condition=Q(lng__gte=-180, lng__lte=180), name="redsite_lng_range"),
        ]
        indexes = [models.Index(fields=["kind", "level"], name="redsite_kind_level")]

    def __str__(self) -> str:
        return self.name


class SitePhoto(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="redsites/photos/")
    caption = models.CharField(_("说明"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("资源点照片")
        verbose_name_plural = _("资源点照片")
        ordering = ["site", "position"]


    def __str__(self) -> str:
        return self.caption or f"{self.site} #{self.position}"

class SiteEvent(models.Model):
    """A historical event tied to a site (what happened there)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="events")
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    title = models.CharField(_("事件"), max_length=200)

    class Meta:
        verbose_name = _("相关事件")
        verbose_name_plural = _("相关事件")
        ordering = ["site", "year", "id"]


    def __str__(self) -> str:
        return f"{self.year or ''} {self.title}".strip()

class Hero(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    death_year = models.PositiveSmallIntegerField(_("逝世年份"), null=True, blank=True)
    deeds = models.TextField(_("事迹"))
    sources = models.TextField(_("资料来源"), blank=True)
    sites = models.ManyToManyField(Site, verbose_name=_("相关资源点"), related_name="heroes", blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("英模人物")
        verbose_name_plural = _("英模人物")
        ordering = ["birth_year", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> str:
        if not self.birth_year:
            return ""
        return f"{self.birth_year}—{self.death_year or ''}"


class Route(models.Model):
    name = models.CharField(_("线路名称"), max_length=120)
    audience = models.CharField(_("适合对象"), max_length=120, blank=True)
    suggested_minutes = models.PositiveIntegerField(_("建议时长(分钟)"), default=240)
    is_bus = models.BooleanField(_("红色巴士线路"), default=False)
    description = models.TextField(_("线路说明"), blank=True)
    org = models.ForeignKey("orgs.Org", verbose_name=_("管理组织"), on_delete=models.PROTECT, related_name="red_routes")
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("教学线路")
        verbose_name_plural = _("教学线路")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RouteStop(models.Model):
    """One stop; distance and travel time are from the previous stop (0 for the first)."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="route_stops")
    position = models.PositiveSmallIntegerField()
    distance_m = models.PositiveIntegerField(_("距上一站(米)"), default=0)
    travel_minutes = models.PositiveIntegerField(_("车程(分钟)"), default=0)
    stay_minutes = models.PositiveIntegerField(_("停留(分钟)"), default=40)

    class Meta:
        ordering = ["route", "position"]
        constraints = [models.UniqueConstraint(fields=["route", "position"], name="redsite_route_stop_position")]


    def __str__(self) -> str:
        return f"{self.route} · {self.position}. {self.site}"

class CheckIn(models.Model):
    """打卡. `org` is the member's org when they checked in, so figures stay with the org."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="checkins")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="red_checkins")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="red_checkins")
    day = models.DateField(_("日期"))
    created_at = models.DateTimeField(_("打卡时间"), auto_now_add=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("距资源点(米)"), null=True, blank=True)

    class Meta:
        verbose_name = _("打卡记录")
        verbose_name_plural = _("打卡记录")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["site", "member", "day"], name="redsite_checkin_once_a_day")]
        indexes = [models.Index(fields=["org", "day"], name="redsite_checkin_org_day"),
                   models.Index(fields=["site", "day"], name="redsite_checkin_site_day")]


    def __str__(self) -> str:
        return f"{self.member} @ {self.site} {self.day}"

class VisitorCount(models.Model):
    """Anonymous visitors counted at a site, one row per site and day."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="visitor_counts")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="redsite_visitors_site_day")]


    def __str__(self) -> str:
        return f"{self.site} {self.day}: {self.count}"

class Achievement(models.Model):
    """Lighting `threshold` distinct sites (点亮 N 处红色地标)."""

    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="red_achievements")
    threshold = models.PositiveSmallIntegerField()
    earned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["threshold"]
        constraints = [models.UniqueConstraint(fields=["member", "threshold"], name="redsite_achievement_once")]


    def __str__(self) -> str:
        return f"{self.member} ≥ {self.threshold}"

class Period(models.TextChoices):
    MORNING = "am", _("上午 9:00–11:30")
    AFTERNOON = "pm", _("下午 14:30–17:00")


class VisitSlot(models.Model):
    """One bookable session of a site; `capacity` is copied from the site when first booked."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="slots")
    date = models.DateField(_("日期"))
    period = models.CharField(_("场次"), max_length=2, choices=Period)
    capacity = models.PositiveIntegerField(_("可接待人数"))

    class Meta:
        ordering = ["date", "period"]
        constraints = [models.UniqueConstraint(fields=["site", "date", "period"], name="redsite_slot_unique")]


    def __str__(self) -> str:
        return f"{self.site} {self.date} {self.get_period_display()}"

class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    HELD = "held", _("已开展")
    CANCELLED = "cancelled", _("已取消")


class Booking(models.Model):
    """An org's group visit (a real-scene class or site visit) in one slot."""

    slot = models.ForeignKey(VisitSlot, on_delete=models.PROTECT, related_name="bookings")
    org = models.ForeignKey("orgs.Org", verbose_name=_("预约组织"), on_delete=models.PROTECT, related_name="red_bookings")
    people = models.PositiveIntegerField(_("预约人数"))
    attendees = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    topic = models.CharField(_("活动主题"), max_length=120, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=BookingStatus, default=BookingStatus.BOOKED)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("团体参观预约")
        verbose_name_plural = _("团体参观预约")
        ordering = ["-slot__date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(people__gt=0), name="redsite_booking_people_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.org} → {self.slot}"

    # The event contract (`redsites.visit.held`: .org, .site, .date, .attendees).
    @property
    def site(self) -> Site:
        return self.slot.site

    @property
    def date(self):
        return self.slot.date
