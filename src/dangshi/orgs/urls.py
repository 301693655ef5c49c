from django.urls import path

from dangshi.orgs.views import console as views
from dangshi.orgs.views import member, public

app_name = "orgs"
urlpatterns = [
    path("console/", views.console_orgs, name="console_orgs"),
    path("console/members/", views.console_members, name="console_members"),
    path("console/members/<int:member_id>/", views.console_member, name="console_member"),
    path("console/import/", views.console_import, name="console_import"),
    path("console/import/template.xlsx", views.console_import_template, name="console_import_template"),
    path("console/import/report/<str:token>.xlsx", views.console_import_report, name="console_import_report"),
    path("console/export/<str:code>.xlsx", views.console_export, name="console_export"),
    path("console/activation/", views.console_activation, name="console_activation"),
]

# The shell: the site root sends each role to its place; the console's and the member's home.
root_urlpatterns = [
    path("", views.home, name="home"),
    path("console/", views.console_home, name="console_home"),
    path("m/", member.member_home, name="member_home"),
    path("console/org-picker/", views.org_picker, name="org_picker"),
    path("sign-in/sms/", public.sms_sign_in, name="sms_sign_in"),
]
