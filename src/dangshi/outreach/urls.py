from django.urls import path

from dangshi.outreach import views, views_activities, views_calendar, views_zones

app_name = "outreach"
urlpatterns = [
    path("console/", views.console_coverage, name="console_coverage"),
    path("console/gaps/", views.console_gaps, name="console_gaps"),
    path("console/sessions/", views.console_sessions, name="console_sessions"),
    path("console/sessions/new/", views.session_new, name="console_session_new"),
    path("console/sessions/lecturers/", views.console_session_lecturers, name="console_session_lecturers"),
    path("console/sessions/<int:session_id>/", views.console_session, name="console_session"),
    path("console/sessions/import/", views.console_session_import, name="console_session_import"),
    path("console/sessions/import/template.xlsx", views.console_session_template, name="console_session_template"),
    path("console/sessions/import/report/<str:report_token>.xlsx", views.console_session_report, name="console_session_report"),
    path("console/lecturers/", views.console_lecturers, name="console_lecturers"),
    path("console/lecturers/<int:lecturer_id>/", views_calendar.console_lecturer, name="console_lecturer"),
    path("console/lecturers/<int:lecturer_id>/appoint/", views.console_lecturer_appoint, name="console_lecturer_appoint"),
    path("console/lecturers/<int:lecturer_id>/retire/", views.console_lecturer_retire, name="console_lecturer_retire"),
    path("console/lecturers/<int:lecturer_id>/letter.pdf", views.console_lecturer_letter, name="console_lecturer_letter"),
    path("console/groups/", views.console_groups, name="console_groups"),
    path("console/groups/<int:group_id>/zone/", views_zones.console_group_zone, name="console_group_zone"),
    path("console/groups/<int:group_id>/zone/picker/", views_zones.console_group_zone_picker, name="console_group_zone_picker"),
    path("console/calendar/", views_calendar.console_calendar, name="console_calendar"),
    path("console/activities/", views_activities.console_activities, name="console_activities"),
    path("console/activities/<int:activity_id>/", views_activities.console_activity, name="console_activity"),
    path("console/activities/<int:activity_id>/qr.svg", views_activities.console_activity_qr, name="console_activity_qr"),
    path("console/leaves/<int:leave_id>/decide/", views_activities.console_leave_decide, name="console_leave_decide"),
    path("h5/activities/", views_activities.h5_activities, name="h5_activities"),
    path("h5/activities/<int:activity_id>/leave/", views_activities.h5_leave, name="h5_leave"),
    path("h5/sign/<str:signin_token>/", views_activities.h5_sign, name="h5_sign"),
    path("h5/sessions/new/", views_activities.h5_session_new, name="h5_session_new"),
    path("h5/lecturer/", views_calendar.h5_lecturer, name="h5_lecturer"),
]

root_urlpatterns = [
    path("calendar/<str:org_code>.ics", views_calendar.calendar_org, name="outreach_calendar_org"),
    path("calendar/lecturer/<str:lecturer_token>.ics", views_calendar.calendar_lecturer, name="outreach_calendar_lecturer"),
]
