from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "dangshi.supervision"
    label = "supervision"
    verbose_name = _("督导调度")
