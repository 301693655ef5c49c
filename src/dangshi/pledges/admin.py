from django.contrib import admin

from dangshi.core.admin import ScopedAdmin
from dangshi.pledges.models import (
    Checklist,
    ChecklistAssignment,
    ChecklistItem,
    Pledge,
    PledgeItem,
    PledgeRating,
    PledgeRound,
    UnitPledge,
)


@admin.register(PledgeRound)
class PledgeRoundAdmin(ScopedAdmin):
    """Where the office configures a round: deadline, rating window, scale and the three weights."""

    list_display = ["title", "year", "org", "commit_by", "rating_days", "scale", "weight_self", "weight_peer",
                    "weight_public"]
    raw_id_fields = ["org"]


class ItemInline(admin.TabularInline):
    model = PledgeItem
    extra = 0


@admin.register(Pledge)
class PledgeAdmin(ScopedAdmin):
    list_display = ["member", "org", "round", "state", "grade"]
    list_filter = ["state", "round"]
    list_select_related = ["member", "org", "round"]
    raw_id_fields = ["member", "org", "reviewed_by"]
    # The state moves only through the services (the machine's table), never by hand here.
    readonly_fields = ["state", "grade_score", "grade", "review_released", "published_at", "rating_closes_on"]
    inlines = [ItemInline]


@admin.register(PledgeRating)
class PledgeRatingAdmin(ScopedAdmin):
    scope_org_field = "pledge__org"
    list_display = ["pledge", "kind", "label", "points", "created_at"]
    list_filter = ["kind"]
    exclude = ["phone_digest"]
    raw_id_fields = ["pledge", "rater_user"]


@admin.register(UnitPledge)
class UnitPledgeAdmin(ScopedAdmin):
    list_display = ["title", "org", "year", "state", "percent", "due_on"]
    list_filter = ["year", "state"]
    raw_id_fields = ["org"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = ChecklistAssignment
    extra = 0
    raw_id_fields = ["org"]


@admin.register(Checklist)
class ChecklistAdmin(ScopedAdmin):
    list_display = ["title", "year", "org"]
    raw_id_fields = ["org"]
    inlines = [ChecklistItemInline, AssignmentInline]
