from django.urls import path

from dangshi.accounts import views, views_console

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("language/", views.language_view, name="set_language"),
    path("locks/", views_console.console_locks, name="console_locks"),
    path("locks/lift/", views_console.console_lock_lift, name="console_lock_lift"),
]
