from django.urls import path

from dangshi.redsites.views import console, console_templates, member, public

app_name = "redsites"
urlpatterns = [
    # The public catalogue: no login (sites are public information).
    path("map/", public.map_page, name="map"),
    path("heroes/", public.heroes, name="heroes"),
    path("sites/<int:site_id>/", public.site_page, name="site"),
    path("sites/<int:site_id>/qr.png", public.site_qr, name="site_qr"),
    path("routes/<int:route_id>/", public.route_sheet, name="route_sheet"),
    path("c/<int:site_id>/", public.checkin_page, name="checkin_page"),
    path("c/<int:site_id>/visitor/", public.visitor_count, name="visitor_count"),
    # A member's own.
    path("m/footprints/", member.footprints, name="footprints"),
    # Console, scoped by org.
    path("console/", console.console_sites, name="console_sites"),
    path("console/import/", console.console_import, name="console_import"),
    path("console/import/template.xlsx", console_templates.console_import_template, name="console_import_template"),
    path("console/import/report/<str:token>.xlsx", console.console_import_report, name="console_import_report"),
    path("console/export.xlsx", console.console_export_xlsx, name="console_export_xlsx"),
    path("console/export.geojson", console.console_export_geojson, name="console_export_geojson"),
    path("console/sites/<int:site_id>/poster.pdf", console.console_poster, name="console_poster"),
    path("console/stats/", console.console_stats, name="console_stats"),
    path("console/bookings/", console.console_bookings, name="console_bookings"),
    path("console/bookings/<int:booking_id>/hold/", console.console_booking_hold, name="console_booking_hold"),
]
