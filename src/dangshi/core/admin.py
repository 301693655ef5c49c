"""A ModelAdmin base that scopes the raw-data admin the same way as every page.

Office users may read raw data in their subtree; only superusers may change it here,
and those changes go to the audit log like every other write (the admin bypasses
services, so it must not be the everyday way to edit).
"""

from django.contrib import admin
from django.dispatch import Signal

# Sent after a superuser's write through the admin, with `action` (e.g.
# "admin.learning.pointrule.changed"), `actor`, `obj` and `data`: the audit app records it
# (core knows no module, so it announces the write instead of logging it).
admin_write = Signal()


class ScopedAdmin(admin.ModelAdmin):
    # The FK path to Org on this model ("" for Org itself); None: office-wide data.
    scope_org_field: str | None = "org"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scope = request.scope
        if scope.is_superuser or self.scope_org_field is None:
            return qs
        return qs.filter(scope.org_q(self.scope_org_field))

    def has_module_permission(self, request):
        return request.scope.is_office

    def has_view_permission(self, request, obj=None):
        return request.scope.is_office

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        verb = "changed" if change else "added"
        admin_write.send(type(self), action=f"admin.{obj._meta.label_lower}.{verb}", actor=request.user, obj=obj,
                         data={"fields": sorted(form.changed_data)})

    def delete_model(self, request, obj):
        admin_write.send(type(self), action=f"admin.{obj._meta.label_lower}.deleted", actor=request.user, obj=obj,
                         data={})
        super().delete_model(request, obj)
