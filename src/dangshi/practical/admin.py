from django.contrib import admin

from dangshi.core.admin import ScopedAdmin
from dangshi.practical.models import Claim, ClaimRule, Deed, Matter, Milestone, ProgressReport


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Matter)
class MatterAdmin(ScopedAdmin):
    list_display = ["title", "tier", "field", "org", "state", "progress", "planned_start", "planned_end"]
    list_filter = ["tier", "level", "field", "state"]
    search_fields = ["title"]
    list_select_related = ["org"]
    raw_id_fields = ["org", "parent", "campaign"]
    # State and progress change only through services (each change is logged).
    readonly_fields = ["state", "progress", "started_on", "completed_on", "verified_on"]
    inlines = [MilestoneInline]


@admin.register(Claim)
class ClaimAdmin(ScopedAdmin):
    scope_org_field = "matter__org"
    list_display = ["matter", "member", "role", "created_at"]
    raw_id_fields = ["matter", "member"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedAdmin):
    scope_org_field = "matter__org"
    list_display = ["matter", "percent", "reported_on"]
    raw_id_fields = ["matter", "actor"]


@admin.register(Deed)
class DeedAdmin(ScopedAdmin):
    list_display = ["title", "category", "member", "org", "status", "happened_on"]
    list_filter = ["category", "status"]
    raw_id_fields = ["member", "org", "decided_by"]


@admin.register(ClaimRule)
class ClaimRuleAdmin(ScopedAdmin):
    scope_org_field = "campaign__root"
    list_display = ["campaign", "category", "may_lead", "min_leads", "max_leads", "may_join"]
