from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RedsitesConfig(AppConfig):
    name = "dangshi.redsites"
    label = "redsites"
    verbose_name = _("红色资源")
