from django.urls import path

from dangshi.reports.views import console, console_briefings

app_name = "reports"
urlpatterns = [
    path("console/dashboard/", console.console_dashboard, name="console_dashboard"),
    path("console/table/", console.console_table, name="console_table"),
    path("console/table.xlsx", console.console_table_xlsx, name="console_table_xlsx"),
    path("console/briefings/", console.console_briefings, name="console_briefings"),
    path("console/briefings/<int:briefing_id>.docx", console.briefing_download, name="briefing_download"),
    path("console/briefings/<int:briefing_id>/", console_briefings.console_briefing_edit, name="console_briefing_edit"),
    path("console/briefings/<int:briefing_id>.pdf", console_briefings.briefing_pdf, name="briefing_pdf"),
    path("console/highlights/", console.console_highlights, name="console_highlights"),
    path("console/highlights/<int:highlight_id>/photo/<int:n>/", console.highlight_photo, name="highlight_photo"),
    path("console/highlights/candidates/<str:source>/<int:source_id>/photo/<int:n>/", console.candidate_photo,
         name="candidate_photo"),
]
