"""宣讲与活动: lecturers, lecture groups with their zones (分片包干), sessions (宣讲) and
activities (夜学、读书班、主题党日…) with attendance."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def _token() -> str:
    return secrets.token_urlsafe(24)


class VenueKind(models.Model):
    """Where a session went: the 七进 list (进机关、进农村…), configurable in the admin."""

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("宣讲阵地")
        verbose_name_plural = _("宣讲阵地")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class CoverageTarget(models.Model):
    """Per campaign: every grass-roots org receives at least `min_sessions` sessions a month."""

    campaign = models.OneToOneField("orgs.Campaign", on_delete=models.CASCADE, related_name="outreach_target")
    min_sessions = models.PositiveSmallIntegerField(_("每月最少宣讲场次"), default=1)

    class Meta:
        verbose_name = _("宣讲覆盖目标")
        verbose_name_plural = _("宣讲覆盖目标")
        constraints = [models.CheckConstraint(condition=Q(min_sessions__gte=1), name="outreach_target_min")]

    def __str__(self) -> str:
        return f"{self.campaign} ≥ {self.min_sessions}"


class LectureGroup(models.Model):
    """宣讲团 → 分团 → 小组. Each group is answerable for a zone: a set of orgs (分片包干)."""

    campaign = models.ForeignKey("orgs.Campaign", verbose_name=_("学习教育活动"), on_delete=models.CASCADE, related_name="lecture_groups")
    org = models.ForeignKey("orgs.Org", verbose_name=_("组建单位"), on_delete=models.PROTECT, related_name="lecture_groups")
    parent = models.ForeignKey("self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("名称"), max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    zone = models.ManyToManyField("orgs.Org", verbose_name=_("包干片区"), blank=True, related_name="lecture_zones")

    class Meta:
        verbose_name = _("宣讲团(组)")
        verbose_name_plural = _("宣讲团(组)")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class LecturerKind(models.TextChoices):
    MEMBER = "member", _("党员宣讲员")
    VETERAN = "veteran", _("老党员")
    RED_ARMY = "red_army", _("老红军")
    HISTORIAN = "historian", _("党史专家")
    TEACHER = "teacher", _("教师")
    FIVE_OLD = "five_old", _("五老")
    YOUTH = "youth", _("青年宣讲员")


class Lecturer(models.Model):
    """A lecturer (宣讲员): a member or an outside expert, appointed with a numbered letter (聘书)."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("聘任单位"), on_delete=models.PROTECT, related_name="lecturers")
    member = models.ForeignKey("orgs.Member", verbose_name=_("党员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="lecturer_roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="lecturer_profiles")
    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("类别"), max_length=12, choices=LecturerKind, default=LecturerKind.MEMBER)
    title = models.CharField(_("职务职称"), max_length=80, blank=True)
    specialty = models.CharField(_("宣讲专长"), max_length=200, blank=True)
    group = models.ForeignKey(LectureGroup, verbose_name=_("所在宣讲组"), null=True, blank=True, on_delete=models.SET_NULL, related_name="lecturers")
    letter_no = models.CharField(_("聘书编号"), max_length=40, unique=True, null=True, blank=True)
    appointed_on = models.DateField(_("聘任日期"), null=True, blank=True)
    term_ends_on = models.DateField(_("聘期至"), null=True, blank=True)
    active = models.BooleanField(_("在聘"), default=True)
    # The secret in the lecturer's calendar subscription URL: the feed names them.
    calendar_token = models.CharField(max_length=64, unique=True, default=_token, editable=False)

    class Meta:
        verbose_name = _("宣讲员")
        verbose_name_plural = _("宣讲员")
        ordering = ["org_id", "id"]
        indexes = [models.Index(fields=["org", "active"], name="lecturer_org_active")]

    def __str__(self) -> str:
        return self.name


class LetterSequence(models.Model):
    """The last 聘书 number issued in a year; its row is locked while the next is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Session(models.Model):
    """One lecture (宣讲). Counted once in 场次 at its host org; counted for every org it covered."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("主办组织"), on_delete=models.PROTECT, related_name="outreach_sessions")
    campaign = models.ForeignKey("orgs.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="outreach_sessions")
    starts_at = models.DateTimeField(_("宣讲时间"))
    venue_kind = models.ForeignKey(VenueKind, verbose_name=_("宣讲阵地"), on_delete=models.PROTECT)
    place = models.CharField(_("地点"), max_length=120)
    topic = models.CharField(_("宣讲主题"), max_length=200)
    lecturers = models.ManyToManyField(Lecturer, verbose_name=_("宣讲员"), blank=True, related_name="sessions")
    audience_offline = models.PositiveIntegerField(_("现场听众(人次)"), default=0)
    audience_online = models.PositiveIntegerField(_("线上观看(人次)"), default=0)
    online_platform = models.CharField(_("线上平台"), max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("宣讲")
        verbose_name_plural = _("宣讲")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["org", "starts_at"], name="session_org_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(audience_online=0) | ~Q(online_platform=""), name="session_online_platform"),
        ]

    def __str__(self) -> str:
        return self.topic


class SessionOrg(models.Model):
    """An org a session covered. `month` (first day, local) is copied from the session so the
    coverage matrix is one aggregate over the (org, month) index, even for 100,000 orgs."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="covered")
    # No index of its own: (org, month) below serves lookups by org and the matrix's
    # merge join (an index-only scan in org order).
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="outreach_covered", db_index=False)
    month = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "org"], name="session_org_once")]
        indexes = [models.Index(fields=["org", "month"], name="session_org_org_month")]

    def __str__(self) -> str:
        return f"{self.session_id} → {self.org_id}"


class SessionFile(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        ATTACHMENT = "attachment", _("附件")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.PHOTO)
    file = models.FileField(upload_to="outreach/%Y/%m/")
    name = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("宣讲照片与附件")
        verbose_name_plural = _("宣讲照片与附件")

    def __str__(self) -> str:
        return self.name or self.file.name


class ActivityKind(models.TextChoices):
    NIGHT_STUDY = "night_study", _("夜学")
    READING = "reading", _("读书班")
    SCREENING = "screening", _("红色电影放映")
    PARTY_DAY = "party_day", _("主题党日")
    VISIT = "visit", _("参观学习")
    EXHIBITION = "exhibition", _("展览")
    PERFORMANCE = "performance", _("文艺演出")
    CONTEST = "contest", _("知识竞赛")


class Activity(models.Model):
    """An activity of an org for its members, with QR sign-in around the start time."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="outreach_activities")
    kind = models.CharField(_("活动类型"), max_length=12, choices=ActivityKind)
    title = models.CharField(_("活动名称"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    audience_offline = models.PositiveIntegerField(_("现场参与(人次)"), default=0)
    audience_online = models.PositiveIntegerField(_("线上参与(人次)"), default=0)
    signin_minutes = models.PositiveSmallIntegerField(_("签到窗口(开始前后分钟)"), default=30)
    signin_token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    # "redsites.visit:<id>" for a group visit recorded from the red-sites module: at most once.
    source = models.CharField(max_length=60, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["org", "starts_at"], name="activity_org_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")), name="activity_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="outreach_attendances")
    signed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        # A member signs in once: a second scan finds this row instead of adding one.
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.member_id}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class LeaveRequest(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="leaves")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="outreach_leaves")
    reason = models.CharField(_("请假事由"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=LeaveStatus, default=LeaveStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("请假")
        verbose_name_plural = _("请假")
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="leave_once")]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.member_id} · {self.status}"
