from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    WEEK = "week", _("周")
    MONTH = "month", _("月")
    QUARTER = "qtr", _("季度")


class RollupBuild(models.Model):
    """One pre-aggregated period: every provider's facts for [start, end], summed into every
    ancestor, so a subtree's figure is one indexed row instead of a scan of its facts."""

    period = models.CharField(_("统计期"), max_length=10, unique=True)  # "2021-W23" or "2021-06"
    kind = models.CharField(max_length=5, choices=PeriodKind)
    start = models.DateField()
    end = models.DateField()
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("预汇总")
        verbose_name_plural = _("预汇总")
        constraints = [models.UniqueConstraint(fields=["start", "end"], name="rollup_build_dates")]

    def __str__(self) -> str:
        return self.period


class Rollup(models.Model):
    """A subtree total: `value` is the sum of `metric` over `org` and everything under it."""

    build = models.ForeignKey(RollupBuild, on_delete=models.CASCADE, related_name="rows")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=60)
    value = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["build", "org", "metric"], name="rollup_unique")]

    def __str__(self) -> str:
        return f"{self.metric}={self.value}"


class HighlightSource(models.TextChoices):
    """The activity reports the office picks highlights from (reports.candidates)."""

    SESSION = "outreach.session", _("宣讲")
    ACTIVITY = "outreach.activity", _("活动")
    PROGRESS = "practical.progress", _("实事进展")
    DEED = "practical.deed", _("党员办实事")


class Highlight(models.Model):
    """A highlight the office picked for the briefing (工作亮点) from an activity report.

    Title, text, date, org and photos are copied when it is picked, so a briefing printed
    again later reads the same even if the report is edited or removed afterwards."""

    source = models.CharField(_("来源"), max_length=20, choices=HighlightSource)
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    org = models.ForeignKey("orgs.Org", verbose_name=_("组织"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"))
    # Order in the briefing: picks take the next number; moving one swaps with its neighbour.
    position = models.PositiveIntegerField(_("顺序"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工作亮点")
        verbose_name_plural = _("工作亮点")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="highlight_picked_once")]
        indexes = [models.Index(fields=["day", "position"], name="highlight_day_position")]

    def __str__(self) -> str:
        return self.title


class HighlightPhoto(models.Model):
    """A photo of a picked highlight: the report's image, re-encoded as a bounded JPEG so the
    briefing stays small and Word can show it whatever the upload's format was."""

    highlight = models.ForeignKey(Highlight, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="reports/highlights/%Y/%m/")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("亮点照片")
        verbose_name_plural = _("亮点照片")
        ordering = ["highlight", "position"]

    def __str__(self) -> str:
        return self.image.name


class BriefingSeries(models.Model):
    """One row per org that issues briefings: generation locks it to number a new issue, so
    two generations for new periods of the same org cannot both read the same Max(number)."""

    org = models.OneToOneField("orgs.Org", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return str(self.org)


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已签发")


class Briefing(models.Model):
    """A numbered issue of the weekly briefing (简报) or monthly summary (小结) of one org."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("编发组织"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=5, choices=PeriodKind)
    period = models.CharField(_("统计期"), max_length=10)
    start = models.DateField()
    end = models.DateField()
    number = models.PositiveIntegerField(_("期号"))
    file = models.FileField(upload_to="reports/briefings/")
    figures = models.JSONField(default=dict)  # the totals printed, for the series and for checks
    # The draft stage: the office edits the generated texts, then issues the briefing; an issued
    # briefing (its .docx and PDF archived) is never regenerated.
    status = models.CharField(_("状态"), max_length=8, choices=BriefingStatus, default=BriefingStatus.DRAFT)
    texts = models.JSONField(default=dict)  # {"overview"|"problems"|"plans": [paragraph, ...]}, as printed
    signer = models.CharField(_("签发人"), max_length=40, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True)
    issued_at = models.DateTimeField(_("签发时间"), null=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    pdf = models.FileField(upload_to="reports/briefings/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("简报")
        verbose_name_plural = _("简报")
        ordering = ["-start", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "period"], name="briefing_one_per_period"),
            models.UniqueConstraint(fields=["org", "kind", "number"], name="briefing_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.get_kind_display()} {self.number}"
