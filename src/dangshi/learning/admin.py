"""Raw data of the learning module for the office (read) and superusers (write).

Everyday edits go through the console, whose services check the editorial flow and
validate; the admin is the escape hatch, and its forms run the same checks (an item's
sanitising and dates, a rule's values) before anything is saved. Point rules log their
values before and after, like the console; the points ledger is append-only, so it is
read-only here; uploaded recordings and evidence photos are checked on upload, so the
admin shows them without letting them be replaced.
"""

from django import forms
from django.contrib import admin
from django.db import transaction

from dangshi.audit.services import log_event
from dangshi.core.admin import ScopedAdmin
from dangshi.errors import Invalid
from dangshi.learning import services
from dangshi.learning.models import (
    Item,
    LearningColumn,
    OfflineActivity,
    Playlist,
    PointEntry,
    PointRule,
    Push,
)
from dangshi.learning.services import rules
from dangshi.learning.textindex import index_items


class _ServiceCheckedForm(forms.ModelForm):
    """A model form whose instance also passes the service's check; its Invalid becomes a
    form error on the field it names."""

    def service_check(self, instance) -> None:
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()
        try:
            self.service_check(self.instance)
        except Invalid as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)


class ItemAdminForm(_ServiceCheckedForm):
    def service_check(self, instance) -> None:
        services.item_prepare(instance)


class PointRuleAdminForm(_ServiceCheckedForm):
    def service_check(self, instance) -> None:
        fields = rules.FIELDS if instance.pk is None else [f for f in rules.FIELDS if f != "code"]
        rules.rule_values_check({f: getattr(instance, f) for f in fields})


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
    form = ItemAdminForm  # sanitised, plain text and dates checked as by the console's services
    # The status moves only through the editorial flow (each step logged); the search
    # index and plain text are kept by the services; a recording goes through its upload check.
    readonly_fields = ["status", "plain", "broadcast_audio", "broadcast_seconds"]
    filter_horizontal = ["tags"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        index_items([obj])


@admin.register(PointRule)
class PointRuleAdmin(ScopedAdmin):
    # The rules apply campaign-wide: no managing org.
    scope_org_field = None
    list_display = ["code", "name", "points", "daily_cap", "total_cap", "active"]
    form = PointRuleAdminForm  # the console's value checks

    def get_readonly_fields(self, request, obj=None):
        # The subscribers find a rule by its code: it cannot change once created.
        return ["code"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        with transaction.atomic():  # the row locked, so "before" is what this save replaced
            old = PointRule.objects.select_for_update().get(pk=obj.pk) if change else None
            admin.ModelAdmin.save_model(self, request, obj, form, change)
            log_event(f"admin.learning.pointrule.{'changed' if change else 'added'}", actor=request.user, obj=obj,
                      data={"before": rules.rule_snapshot(old) if old else None, "after": rules.rule_snapshot(obj)})


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
    # Confirmation counts towards 五个一: only the branch's review (a service) changes it; the
    # evidence photo went through its upload check.
    readonly_fields = ["status", "reviewed_by", "evidence"]


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
