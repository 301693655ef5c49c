"""Raw data of the learning module for the office (read) and superusers (write).

Everyday edits go through the console, whose services check the editorial flow and
validate; the admin is the escape hatch. Point rules log their values before and after,
like the console; the points ledger is append-only, so it is read-only here.
"""

from django.contrib import admin
from django.forms.models import model_to_dict

from dangshi.core.admin import ScopedAdmin
from dangshi.learning.models import (
    Item,
    LearningColumn,
    OfflineActivity,
    Playlist,
    PointEntry,
    PointRule,
    Push,
)
from dangshi.learning.rules import FIELDS as RULE_FIELDS
from dangshi.learning.textindex import index_items, plain_text, sanitise


@admin.register(LearningColumn)
class LearningColumnAdmin(ScopedAdmin):
    # Columns are shared by the whole campaign: no managing org.
    scope_org_field = None
    list_display = ["code", "name", "kind", "position"]


@admin.register(Item)
class ItemAdmin(ScopedAdmin):
    list_display = ["title", "column", "org", "status", "publish_at", "public"]
    list_filter = ["column", "status", "public"]
    search_fields = ["title"]
    list_select_related = ["column", "org"]
    raw_id_fields = ["org", "created_by"]
    # The status moves only through the editorial flow (each step logged); the search
    # index and plain text are kept by the services.
    readonly_fields = ["status", "plain"]
    filter_horizontal = ["tags"]

    def save_model(self, request, obj, form, change):
        # The same cleaning as the services: the body is shown as HTML to members.
        obj.body, obj.answer = sanitise(obj.body), sanitise(obj.answer)
        obj.plain = plain_text(obj.body)
        super().save_model(request, obj, form, change)
        index_items([obj])


@admin.register(PointRule)
class PointRuleAdmin(ScopedAdmin):
    # The rules apply campaign-wide: no managing org.
    scope_org_field = None
    list_display = ["code", "name", "points", "daily_cap", "total_cap", "active"]

    def get_readonly_fields(self, request, obj=None):
        # The subscribers find a rule by its code: it cannot change once created.
        return ["code"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        from dangshi.audit.services import log_event

        before = model_to_dict(PointRule.objects.get(pk=obj.pk), fields=RULE_FIELDS) if change else None
        admin.ModelAdmin.save_model(self, request, obj, form, change)
        log_event(f"admin.learning.pointrule.{'changed' if change else 'added'}", actor=request.user, obj=obj,
                  data={"before": before, "after": model_to_dict(obj, fields=RULE_FIELDS)})


@admin.register(PointEntry)
class PointEntryAdmin(ScopedAdmin):
    scope_org_field = "member__org"
    list_display = ["member", "rule", "points", "day", "cause_type", "cause_id", "event_id"]
    list_filter = ["rule"]
    list_select_related = ["member", "rule"]
    raw_id_fields = ["member"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfflineActivity)
class OfflineActivityAdmin(ScopedAdmin):
    scope_org_field = "member__org"
    list_display = ["title", "kind", "member", "day", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["member"]
    raw_id_fields = ["member", "reviewed_by"]
    # Confirmation counts towards 五个一: only the branch's review (a service) changes it.
    readonly_fields = ["status", "reviewed_by"]


@admin.register(Push)
class PushAdmin(ScopedAdmin):
    list_display = ["item", "org", "sent_at", "sent_by"]
    list_select_related = ["item", "org", "sent_by"]
    raw_id_fields = ["item", "org", "sent_by"]


@admin.register(Playlist)
class PlaylistAdmin(ScopedAdmin):
    list_display = ["org", "day", "aired_times"]
    list_select_related = ["org"]
    raw_id_fields = ["org"]
