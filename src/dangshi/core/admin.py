"""A ModelAdmin base that scopes the raw-data admin the same way as every page."""

from django.contrib import admin


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
        return request.scope.is_office and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.scope.is_office and super().has_view_permission(request, obj)
