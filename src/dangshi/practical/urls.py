from django.urls import path

from dangshi.practical.views import console, member, public

app_name = "practical"
urlpatterns = [
    path("console/", console.console_matters, name="console_matters"),
    path("console/new/", console.console_matter_new, name="console_matter_new"),
    path("console/<int:matter_id>/", console.console_matter, name="console_matter"),
    path("console/stats/", console.console_stats, name="console_stats"),
    path("console/must-claim/", console.console_must_claim, name="console_must_claim"),
    path("console/deeds/", console.console_deeds, name="console_deeds"),
    path("board/", public.board, name="board"),
    path("board/<int:matter_id>/", public.board_matter, name="board_matter"),
    path("board/<int:matter_id>/code/", public.board_code, name="board_code"),
    path("m/", member.member_claims, name="member_claims"),
    path("m/matters/", member.member_matters, name="member_matters"),
    path("m/matters/<int:matter_id>/", member.member_matter, name="member_matter"),
    path("m/deeds/new/", member.member_deed_new, name="member_deed_new"),
]
