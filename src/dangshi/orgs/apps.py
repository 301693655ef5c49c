from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "dangshi.orgs"
    label = "orgs"
    verbose_name = _("组织与党员")
    # (label, url name, who sees it: "office" | "admin" (office and org admins) | "staff" (+ lecturers))
    console_nav = [
        (_("组织架构"), "orgs:console_orgs", "admin"),
        (_("党员名册"), "orgs:console_members", "admin"),
        (_("名册导入"), "orgs:console_import", "admin"),
        (_("账号激活"), "orgs:console_activation", "admin"),
    ]

    def ready(self):
        from dangshi.orgs.jobs import register_import_jobs

        register_import_jobs()
