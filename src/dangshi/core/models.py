"""core's one table: which periodic job fired for which due time (the scheduler's lock)."""

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
