from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only row per write. The app never updates or deletes these;
    on both databases a trigger refuses UPDATE (see migration 0002)."""

    at = models.DateTimeField(_("时间"), db_default=models.functions.Now(), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
