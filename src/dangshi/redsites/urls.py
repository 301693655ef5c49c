from django.urls import path

from dangshi.redsites import console_views, sheet_views, views

app_name = "redsites"
urlpatterns = [
    # The public catalogue: no login (sites are public information).
    path("map/", views.map_page, name="map"),
    path("heroes/", views.heroes, name="heroes"),
    path("sites/<int:site_id>/", views.site_page, name="site"),
    path("sites/<int:site_id>/qr.png", views.site_qr, name="site_qr"),
    path("routes/<int:route_id>/", views.route_sheet, name="route_sheet"),
    path("c/<int:site_id>/", views.checkin_page, name="checkin_page"),
    path("c/<int:site_id>/visitor/", views.visitor_count, name="visitor_count"),
    # A member's own.
    path("m/footprints/", views.footprints, name="footprints"),
    # Console, scoped by org.
    path("console/", console_views.console_sites, name="console_sites"),
    path("console/import/", console_views.console_import, name="console_import"),
    path("console/import/template.xlsx", sheet_views.console_import_template, name="console_import_template"),
    path("console/import/report/<str:token>.xlsx", console_views.console_import_report, name="console_import_report"),
    path("console/export.xlsx", console_views.console_export_xlsx, name="console_export_xlsx"),
    path("console/export.geojson", console_views.console_export_geojson, name="console_export_geojson"),
    path("console/sites/<int:site_id>/poster.pdf", console_views.console_poster, name="console_poster"),
    path("console/stats/", console_views.console_stats, name="console_stats"),
    path("console/bookings/", console_views.console_bookings, name="console_bookings"),
    path("console/bookings/<int:booking_id>/hold/", console_views.console_booking_hold, name="console_booking_hold"),
]
