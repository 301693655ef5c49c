from django.urls import path

from dangshi.accounts.views import console as views_console
from dangshi.accounts.views import public as views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("language/", views.language_view, name="set_language"),
    path("activate/<str:key>/", views.activate_view, name="activate"),
    path("password/set/", views.password_set_view, name="password_set"),
    path("locks/", views_console.console_locks, name="console_locks"),
    path("locks/lift/", views_console.console_lock_lift, name="console_lock_lift"),
]
