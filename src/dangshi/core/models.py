"""core's one table: which periodic job fired for which due time (the scheduler's lock)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """One firing of a periodic job (core/periodic.py) for one due time.

    The unique constraint is the lock: however many schedulers run, only the one whose
    INSERT lands enqueues the job for that due time."""

    job = models.CharField(_("定时任务"), max_length=60)
    due_at = models.DateTimeField(_("应运行时间"))
    fired_at = models.DateTimeField(_("排入时间"), auto_now_add=True)
    fired_by = models.CharField(_("调度进程"), max_length=120)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = _("定时任务记录")
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="periodic_run_once_per_due_time")]
        indexes = [models.Index(fields=["job", "-due_at"], name="periodic_run_latest")]

    def __str__(self):
        return f"{self.job} {self.due_at:%Y-%m-%d %H:%M}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("处理中")
    DONE = "done", _("已导入")
    FAILED = "failed", _("未导入")


class ImportJob(models.Model):
    """An uploaded file imported in the worker (core/jobs.py), with its progress for the page.

    Still all or nothing: `rows_written` is 0 until the import's one transaction commits."""

    kind = models.CharField(_("类型"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=255)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    phase = models.CharField(_("步骤"), max_length=10, blank=True, default="")
    rows_read = models.PositiveIntegerField(_("已读行数"), default=0)
    rows_checked = models.PositiveIntegerField(_("已校验行数"), default=0)
    rows_written = models.PositiveIntegerField(_("已写入行数"), default=0)
    message = models.TextField(_("结果"), blank=True, default="")
    # Free-form payload: the first errors as the page shows them ({row, column, message}).
    errors = models.JSONField(default=list, blank=True)
    report_token = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("导入任务")

    def __str__(self):
        return f"{self.kind} {self.filename} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
