from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from dangshi.accounts.models import ApiToken, User


@admin.register(User)
class DangshiUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("dangshi", {"fields": ["display_name"]}),)

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["digest", "prefix", "created_at", "last_used_at"]

    def has_module_permission(self, request):
        return request.user.is_superuser
