from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangshi.core.admin import admin_write


class AuditConfig(AppConfig):
    name = "dangshi.audit"
    label = "audit"
    verbose_name = _("审计")
    console_nav = [(_("审计日志"), "audit:console_events", "office")]

    def ready(self):
        # Django's place for wiring receivers: the models are loaded by now.
        from dangshi.audit import services

        admin_write.connect(services.admin_write_record, dispatch_uid="audit.admin_write")
