from django.urls import path

from dangshi.live.views import console, member, public

app_name = "live"

urlpatterns = [
    path("", console.console_list, name="console_list"),
    path("<int:show_id>/", console.console_contest, name="console_contest"),
    path("<int:show_id>/teams/", console.team_add, name="team_add"),
    path("<int:show_id>/rounds/", console.round_add, name="round_add"),
    path("<int:show_id>/questions/", console.questions_add, name="questions_add"),
    path("<int:show_id>/fix/", console.contest_fix, name="contest_fix"),
    path("<int:show_id>/host/", console.host, name="host"),
    path("<int:show_id>/screen/", console.screen, name="screen"),
    path("<int:show_id>/judges/", console.judges, name="judges"),
    path("<int:show_id>/results.xlsx", console.results_export, name="results_export"),
    path("<int:show_id>/certificates/", console.certificates, name="certificates"),
    path("<int:show_id>/watch/", public.audience, name="audience"),
    path("desk/<str:join_key>/", member.desk, name="desk"),
]
