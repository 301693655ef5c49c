from django.contrib import admin

from dangshi.core.admin import ScopedAdmin
from dangshi.redsites.models import Booking, Hero, Route, RouteStop, Site, SiteEvent, SitePhoto


class PhotoInline(admin.TabularInline):
    model = SitePhoto
    extra = 0


class EventInline(admin.TabularInline):
    model = SiteEvent
    extra = 0


@admin.register(Site)
class SiteAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "level", "org", "geofence_m", "active", "is_demo"]
    list_filter = ["kind", "level", "active", "is_demo"]
    search_fields = ["code", "name", "address"]
    raw_id_fields = ["org"]
    inlines = [PhotoInline, EventInline]


class StopInline(admin.TabularInline):
    model = RouteStop
    extra = 0
    raw_id_fields = ["site"]


@admin.register(Route)
class RouteAdmin(ScopedAdmin):
    list_display = ["name", "is_bus", "suggested_minutes", "org"]
    raw_id_fields = ["org"]
    inlines = [StopInline]


@admin.register(Booking)
class BookingAdmin(ScopedAdmin):
    list_display = ["slot", "org", "people", "attendees", "status"]
    list_filter = ["status"]
    raw_id_fields = ["slot", "org", "booked_by"]


@admin.register(Hero)
class HeroAdmin(ScopedAdmin):
    # Heroes are public catalogue data with no managing org.
    scope_org_field = None
    list_display = ["name", "birth_year", "death_year", "is_demo"]
    search_fields = ["name"]
    filter_horizontal = ["sites"]
