from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError

from dangshi.accounts import services
from dangshi.accounts.models import ApiToken, User
from dangshi.errors import Refused


class AdminLoginForm(AdminAuthenticationForm):
    """/admin/login/ behind the same checks as the login page and the token endpoint (the
    per-address limit, the pair lock, the account ceiling), then the admin's staff check."""

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = services.login_check(username=username, password=password, request=self.request)
            except Refused as exc:
                raise ValidationError(str(exc.message), code=exc.code or "invalid_login") from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


admin.site.login_form = AdminLoginForm


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
