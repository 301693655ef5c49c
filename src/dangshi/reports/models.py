from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    WEEK = "week", _("周")
    MONTH = "month", _("月")


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


class Highlight(models.Model):
    """A highlight the office picks for the briefing (工作亮点), with an optional photo."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("组织"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("内容"))
    photo = models.ImageField(_("照片"), upload_to="reports/highlights/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("工作亮点")
        verbose_name_plural = _("工作亮点")
        ordering = ["-day", "id"]

    def __str__(self) -> str:
        return self.title


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
