from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticalConfig(AppConfig):
    name = "dangshi.practical"
    label = "practical"
    verbose_name = _("我为群众办实事")
