from django.contrib import admin

from dangshi.audit.models import AuditEvent
from dangshi.audit.selectors import event_list
from dangshi.core.admin import ScopedAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    scope_org_field = None
    list_display = ["at", "actor_label", "action", "object_type", "object_id", "ip"]
    list_filter = ["action"]
    search_fields = ["action", "actor_label", "object_id"]

    def get_queryset(self, request):
        return event_list(scope=request.scope)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
