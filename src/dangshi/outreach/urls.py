from django.urls import path

from dangshi.outreach.views import console, console_activities, console_zones, member, public

app_name = "outreach"
urlpatterns = [
    path("console/", console.console_coverage, name="console_coverage"),
    path("console/gaps/", console.console_gaps, name="console_gaps"),
    path("console/sessions/", console.console_sessions, name="console_sessions"),
    path("console/sessions/new/", console.session_new, name="console_session_new"),
    path("console/sessions/lecturers/", console.console_session_lecturers, name="console_session_lecturers"),
    path("console/sessions/<int:session_id>/", console.console_session, name="console_session"),
    path("console/sessions/import/", console.console_session_import, name="console_session_import"),
    path("console/sessions/import/template.xlsx", console.console_session_template, name="console_session_template"),
    path("console/sessions/import/report/<str:report_token>.xlsx", console.console_session_report, name="console_session_report"),
    path("console/lecturers/", console.console_lecturers, name="console_lecturers"),
    path("console/lecturers/<int:lecturer_id>/", console.console_lecturer, name="console_lecturer"),
    path("console/lecturers/<int:lecturer_id>/appoint/", console.console_lecturer_appoint, name="console_lecturer_appoint"),
    path("console/lecturers/<int:lecturer_id>/retire/", console.console_lecturer_retire, name="console_lecturer_retire"),
    path("console/lecturers/<int:lecturer_id>/letter.pdf", console.console_lecturer_letter, name="console_lecturer_letter"),
    path("console/groups/", console.console_groups, name="console_groups"),
    path("console/groups/<int:group_id>/zone/", console_zones.console_group_zone, name="console_group_zone"),
    path("console/groups/<int:group_id>/zone/picker/", console_zones.console_group_zone_picker, name="console_group_zone_picker"),
    path("console/calendar/", console.console_calendar, name="console_calendar"),
    path("console/activities/", console_activities.console_activities, name="console_activities"),
    path("console/activities/<int:activity_id>/", console_activities.console_activity, name="console_activity"),
    path("console/activities/<int:activity_id>/qr.svg", console_activities.console_activity_qr, name="console_activity_qr"),
    path("console/leaves/<int:leave_id>/decide/", console_activities.console_leave_decide, name="console_leave_decide"),
    path("h5/activities/", member.h5_activities, name="h5_activities"),
    path("h5/activities/<int:activity_id>/leave/", member.h5_leave, name="h5_leave"),
    path("h5/sign/<str:signin_token>/", member.h5_sign, name="h5_sign"),
    path("h5/sessions/new/", member.h5_session_new, name="h5_session_new"),
    path("h5/lecturer/", member.h5_lecturer, name="h5_lecturer"),
]

root_urlpatterns = [
    path("calendar/<str:org_code>.ics", public.calendar_org, name="outreach_calendar_org"),
    path("calendar/lecturer/<str:lecturer_token>.ics", public.calendar_lecturer, name="outreach_calendar_lecturer"),
]
