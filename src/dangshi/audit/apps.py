from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "dangshi.audit"
    label = "audit"
    verbose_name = _("审计")
    console_nav = [(_("审计日志"), "audit:console_events", "office")]
