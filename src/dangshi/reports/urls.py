from django.urls import path

from dangshi.reports import briefing_views, views

app_name = "reports"
urlpatterns = [
    path("console/dashboard/", views.console_dashboard, name="console_dashboard"),
    path("console/table/", views.console_table, name="console_table"),
    path("console/table.xlsx", views.console_table_xlsx, name="console_table_xlsx"),
    path("console/briefings/", views.console_briefings, name="console_briefings"),
    path("console/briefings/<int:briefing_id>.docx", views.briefing_download, name="briefing_download"),
    path("console/briefings/<int:briefing_id>/", briefing_views.console_briefing_edit, name="console_briefing_edit"),
    path("console/briefings/<int:briefing_id>.pdf", briefing_views.briefing_pdf, name="briefing_pdf"),
    path("console/highlights/", views.console_highlights, name="console_highlights"),
    path("console/highlights/<int:highlight_id>/photo/<int:n>/", views.highlight_photo, name="highlight_photo"),
    path("console/highlights/candidates/<str:source>/<int:source_id>/photo/<int:n>/", views.candidate_photo,
         name="candidate_photo"),
]
