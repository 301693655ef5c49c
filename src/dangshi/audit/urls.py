from django.urls import path

from dangshi.audit import views

app_name = "audit"
urlpatterns = [path("console/", views.console_events, name="console_events")]
