from django.contrib import admin

from dangshi.core.admin import ScopedAdmin
from dangshi.outreach.models import Activity, CoverageTarget, LectureGroup, Lecturer, Session, VenueKind


@admin.register(VenueKind)
class VenueKindAdmin(ScopedAdmin):
    """The 七进 list is configurable here (a superuser adds or retires a venue kind)."""

    scope_org_field = None
    list_display = ["name", "code", "position", "active"]


@admin.register(CoverageTarget)
class CoverageTargetAdmin(ScopedAdmin):
    scope_org_field = "campaign__root"
    list_display = ["campaign", "min_sessions"]


@admin.register(LectureGroup)
class LectureGroupAdmin(ScopedAdmin):
    list_display = ["name", "parent", "org", "campaign"]
    filter_horizontal = ["zone"]


@admin.register(Lecturer)
class LecturerAdmin(ScopedAdmin):
    list_display = ["name", "kind", "org", "group", "letter_no", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "letter_no"]


@admin.register(Session)
class SessionAdmin(ScopedAdmin):
    list_display = ["topic", "starts_at", "org", "venue_kind", "audience_offline", "audience_online"]
    list_filter = ["venue_kind"]


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ["title", "kind", "starts_at", "org"]
    list_filter = ["kind"]
