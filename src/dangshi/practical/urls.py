from django.urls import path

from dangshi.practical import views, views_public

app_name = "practical"
urlpatterns = [
    path("console/", views.console_matters, name="console_matters"),
    path("console/new/", views.console_matter_new, name="console_matter_new"),
    path("console/<int:matter_id>/", views.console_matter, name="console_matter"),
    path("console/stats/", views.console_stats, name="console_stats"),
    path("console/must-claim/", views.console_must_claim, name="console_must_claim"),
    path("console/deeds/", views.console_deeds, name="console_deeds"),
    path("board/", views_public.board, name="board"),
    path("board/<int:matter_id>/", views_public.board_matter, name="board_matter"),
    path("board/<int:matter_id>/code/", views_public.board_code, name="board_code"),
    path("m/", views_public.member_claims, name="member_claims"),
    path("m/matters/", views_public.member_matters, name="member_matters"),
    path("m/matters/<int:matter_id>/", views_public.member_matter, name="member_matter"),
    path("m/deeds/new/", views_public.member_deed_new, name="member_deed_new"),
]
