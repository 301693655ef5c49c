from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError

from dangshi.accounts import services
from dangshi.accounts.models import ApiToken, User
from dangshi.audit.services import log_event
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

    def user_change_password(self, request, id, form_url=""):
        """A superuser setting someone's password here ends that user's bearer tokens too, as a
        change on the password page does (other sessions end by Django's session hash)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            revoked = services.tokens_revoke_all(user=user)
            log_event("accounts.password.set_by_admin", actor=request.user, obj=user, data={"tokens_revoked": revoked})
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["digest", "prefix", "created_at", "last_used_at"]

    def has_module_permission(self, request):
        return request.user.is_superuser
