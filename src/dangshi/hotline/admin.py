from django.contrib import admin

from dangshi.core.admin import ScopedAdmin
from dangshi.hotline.models import ImportSource, Open311Key, Request, ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(ScopedAdmin):
    scope_org_field = None  # district-wide configuration (time limits)
    list_display = ["code", "name", "group", "limit_hours", "sign_hours", "active", "position"]
    list_editable = ["limit_hours", "sign_hours", "active"]


@admin.register(ImportSource)
class ImportSourceAdmin(ScopedAdmin):
    scope_org_field = None
    list_display = ["name", "created_at"]


@admin.register(Request)
class RequestAdmin(ScopedAdmin):
    scope_org_field = "intake_org"
    list_display = ["number", "received_at", "kind", "service", "state", "org", "caller_phone_masked"]
    list_filter = ["state", "kind", "channel"]
    search_fields = ["number"]
    list_select_related = ["service", "org"]
    # Callers' details are never shown in clear here either.
    exclude = ["caller_name", "caller_phone", "caller_phone_digest"]
    readonly_fields = ["caller_name_masked", "caller_phone_masked"]
    raw_id_fields = ["org", "intake_org", "assignee", "source"]


@admin.register(Open311Key)
class Open311KeyAdmin(ScopedAdmin):
    scope_org_field = "intake_org"
    list_display = ["name", "intake_org", "active", "created_at"]
    exclude = ["digest"]
