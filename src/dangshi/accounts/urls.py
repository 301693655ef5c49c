from django.urls import path

from dangshi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("language/", views.language_view, name="set_language"),
]
