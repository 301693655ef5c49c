from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("短信")


class Status(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboundMessage(models.Model):
    """One message handed to a provider, sent by the task worker (never inside a request).
    The number is kept only as a mask and a keyed digest; the text only where the backend is
    the development `console` one (that is how the demo shows an SMS code)."""

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel, default=Channel.SMS)
    purpose = models.CharField(_("用途"), max_length=40)
    to_masked = models.CharField(_("接收号码"), max_length=20)
    to_digest = models.CharField(max_length=64, db_index=True)
    to_sealed = models.TextField(blank=True)  # the number, Fernet-encrypted, until sent: the worker needs it
    body = models.TextField(_("内容"), blank=True)
    backend = models.CharField(_("发送通道"), max_length=40)
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    provider_ref = models.CharField(_("回执编号"), max_length=100, blank=True)
    org_path = models.CharField(max_length=255, blank=True, db_index=True)  # the recipient's org, for scoped reading
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息发送记录")
        verbose_name_plural = _("消息发送记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to_masked}"
