from django.urls import path

from dangshi.pledges.views import console, member, public

app_name = "pledges"
urlpatterns = [
    # console
    path("console/review/", console.console_review, name="console_review"),
    path("console/p/<int:pledge_id>/", console.console_pledge, name="console_pledge"),
    path("console/p/<int:pledge_id>/act/", console.console_pledge_act, name="console_pledge_act"),
    path("console/units/", console.console_units, name="console_units"),
    path("console/units/<int:unit_id>/", console.console_unit, name="console_unit"),
    path("console/checklists/", console.console_checklists, name="console_checklists"),
    path("console/checklists/<int:checklist_id>/", console.console_checklist, name="console_checklist"),
    path("console/todo/", console.console_todo, name="console_todo"),
    # member H5
    path("m/", member.member_pledges, name="member_pledges"),
    path("m/edit/", member.member_pledge_edit, name="member_pledge_edit"),
    path("m/<int:pledge_id>/", member.member_pledge, name="member_pledge"),
    path("m/<int:pledge_id>/act/", member.member_pledge_act, name="member_pledge_act"),
    # public (亮诺, 评诺, 成果展示)
    path("public/org/<str:org_code>/", public.public_board, name="public_board"),
    path("public/p/<int:pledge_id>/", public.public_pledge, name="public_pledge"),
    path("public/showcase/<str:org_code>/", public.public_showcase, name="public_showcase"),
]
