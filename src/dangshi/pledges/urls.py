from django.urls import path

from dangshi.pledges import views, views_member, views_public

app_name = "pledges"
urlpatterns = [
    # console
    path("console/review/", views.console_review, name="console_review"),
    path("console/p/<int:pledge_id>/", views.console_pledge, name="console_pledge"),
    path("console/p/<int:pledge_id>/act/", views.console_pledge_act, name="console_pledge_act"),
    path("console/units/", views.console_units, name="console_units"),
    path("console/units/<int:unit_id>/", views.console_unit, name="console_unit"),
    path("console/checklists/", views.console_checklists, name="console_checklists"),
    path("console/checklists/<int:checklist_id>/", views.console_checklist, name="console_checklist"),
    path("console/todo/", views.console_todo, name="console_todo"),
    # member H5
    path("m/", views_member.member_pledges, name="member_pledges"),
    path("m/edit/", views_member.member_pledge_edit, name="member_pledge_edit"),
    path("m/<int:pledge_id>/", views_member.member_pledge, name="member_pledge"),
    path("m/<int:pledge_id>/act/", views_member.member_pledge_act, name="member_pledge_act"),
    # public (亮诺, 评诺, 成果展示)
    path("public/org/<str:org_code>/", views_public.public_board, name="public_board"),
    path("public/p/<int:pledge_id>/", views_public.public_pledge, name="public_pledge"),
    path("public/showcase/<str:org_code>/", views_public.public_showcase, name="public_showcase"),
]
