from django.contrib import admin

from dangshi.core.admin import ScopedAdmin
from dangshi.orgs.models import Campaign, CampaignGoal, Member, Org, RoleBinding


class GoalInline(admin.TabularInline):
    model = CampaignGoal
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin):
    scope_org_field = "root"
    list_display = ["name", "root", "starts_on", "ends_on"]
    inlines = [GoalInline]


@admin.register(Org)
class OrgAdmin(ScopedAdmin):
    scope_org_field = ""
    list_display = ["code", "name", "kind", "grassroots", "two_new", "mobile", "depth"]
    list_filter = ["kind", "grassroots", "two_new", "mobile"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "depth", "parent"]


@admin.register(Member)
class MemberAdmin(ScopedAdmin):
    list_display = ["name", "org", "category", "phone_masked", "id_number_masked", "mobile", "youth", "active"]
    list_filter = ["category", "mobile", "youth", "two_new", "active"]
    search_fields = ["name"]
    list_select_related = ["org"]
    raw_id_fields = ["org", "user"]
    # Personal data is never shown in clear, here either.
    exclude = ["phone", "id_number", "id_digest"]
    readonly_fields = ["phone_masked", "id_number_masked"]


@admin.register(RoleBinding)
class RoleBindingAdmin(ScopedAdmin):
    list_display = ["user", "role", "org"]
    list_filter = ["role"]
    raw_id_fields = ["user", "org"]
