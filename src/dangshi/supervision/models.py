from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class GroupKind(models.TextChoices):
    LEADING = "leading", _("领导小组")
    OFFICE = "office", _("领导小组办公室")
    WORKING = "working", _("工作组")
    GUIDANCE = "guidance", _("巡回指导组")


class Group(models.Model):
    """The campaign's structure at `org` (the org running the campaign): the leading
    group, its office, the working groups and the roving guidance groups."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("所属组织"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=10, choices=GroupKind)
    name = models.CharField(_("名称"), max_length=60)
    duties = models.TextField(_("职责"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("工作机构")
        verbose_name_plural = _("工作机构")
        ordering = ["org_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="group_name_unique")]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=80, blank=True)
    role = models.CharField(_("组内职务"), max_length=20, default="成员")  # 组长 / 副组长 / 成员
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("组成人员")
        verbose_name_plural = _("组成人员")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class GuidanceAssignment(models.Model):
    """A guidance group is responsible for an org (and its subtree)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "org"], name="guidance_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.group_id}→{self.org_id}"


class Priority(models.IntegerChoices):
    HIGH = 1, _("重点")
    NORMAL = 2, _("一般")


class TaskSource(models.TextChoices):
    MANUAL = "manual", _("录入")
    IMPORT = "import", _("任务清单导入")
    DISPATCH = "dispatch", _("调度会决定")


class Task(models.Model):
    """A line of the 任务清单. `org` is the org whose office owns the list (scope);
    `orgs` are the responsible units."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("所属组织"), on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks")
    group = models.ForeignKey(Group, verbose_name=_("牵头工作组"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    orgs = models.ManyToManyField("orgs.Org", verbose_name=_("责任单位"), blank=True, related_name="+")
    title = models.CharField(_("任务"), max_length=200)
    phase = models.CharField(_("阶段"), max_length=40, blank=True)  # 路线图阶段: 动员部署 / 学习教育 / 总结提升
    priority = models.PositiveSmallIntegerField(_("优先级"), choices=Priority, default=Priority.NORMAL)
    deliverables = models.TextField(_("成果形式"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("完成时限"))
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=TaskSource, default=TaskSource.MANUAL)
    dispatch = models.ForeignKey("Dispatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务清单")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("starts_on")), name="task_dates"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_range"),
        ]
        indexes = [models.Index(fields=["org", "done_on", "due_on"], name="task_open_due")]

    def __str__(self) -> str:
        return self.title


class TaskProgress(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    percent = models.PositiveSmallIntegerField(_("进度(%)"))
    note = models.TextField(_("进展情况"))
    evidence = models.FileField(_("佐证材料"), upload_to="supervision/evidence/", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.percent}%"


class Reminder(models.Model):
    """One reminder per task per day: the scheduled run may repeat without spamming."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    kind = models.CharField(max_length=10)  # due_soon / overdue

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "day"], name="reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.day}"


class Dispatch(models.Model):
    """A weekly dispatch meeting (调度会) of `org`."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("周一"))
    notes = models.TextField(_("会议纪要"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调度会")
        verbose_name_plural = _("调度会")
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["org", "week_start"], name="dispatch_once_a_week")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.week_start}"


class Visit(models.Model):
    """A guidance group's visit to an org, with its findings."""

    group = models.ForeignKey(Group, verbose_name=_("巡回指导组"), on_delete=models.PROTECT, related_name="visits")
    org = models.ForeignKey("orgs.Org", verbose_name=_("被指导单位"), on_delete=models.CASCADE, related_name="+")
    visited_on = models.DateField(_("指导日期"))
    findings = models.TextField(_("主要做法与成效"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("指导记录")
        verbose_name_plural = _("指导记录")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.group_id} {self.visited_on}"


class Rectification(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("整改事项"), max_length=200)
    due_on = models.DateField(_("整改时限"))
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closure_note = models.TextField(_("整改情况"), blank=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Review(models.Model):
    """季季评: a branch secretary's assessment of a member for one quarter."""

    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")  # the member's org then
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    figures = models.JSONField(default=dict)  # the drafted figures, keyed by Chinese label
    text = models.TextField(_("点评"))
    published = models.BooleanField(_("已向党员公开"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("季季评")
        verbose_name_plural = _("季季评")
        ordering = ["-year", "-quarter", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "quarter"], name="review_once_a_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="review_quarter_range"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}Q{self.quarter}"


class Competition(models.Model):
    """A unit competition (六比六赛) among the children of `org`, over [starts_on, ends_on]."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("组织单位"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=80)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    published = models.BooleanField(_("在驾驶舱公布"), default=False)

    class Meta:
        verbose_name = _("单位比武")
        verbose_name_plural = _("单位比武")
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="competition_dates")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """An indicator: a roll-up metric (per member when `per_member`), or scored by the office (metric blank)."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="indicators")
    label = models.CharField(_("指标"), max_length=40)
    metric = models.CharField(_("统计指标"), max_length=60, blank=True)
    per_member = models.BooleanField(_("按人均"), default=True)
    weight = models.PositiveSmallIntegerField(_("权重"), default=10)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class Score(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    value = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "org"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.org_id}"
