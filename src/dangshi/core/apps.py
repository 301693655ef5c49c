from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from dangshi.core import checks  # noqa: F401 - registers the system checks


def _create_cache_table(sender, using, **kwargs):
    # The database cache holds the shared rate-limit counters; make its table wherever
    # migrate runs, so no deployment needs to remember `createcachetable`.
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "dangshi.core"
    label = "core"
    verbose_name = _("平台")

    def ready(self):
        post_migrate.connect(_create_cache_table, sender=self)
