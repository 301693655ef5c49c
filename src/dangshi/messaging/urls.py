from django.urls import path

from dangshi.messaging.views import console

app_name = "messaging"
urlpatterns = [
    path("console/", console.console_messages, name="console_messages"),
]
