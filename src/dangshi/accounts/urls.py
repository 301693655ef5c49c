from django.urls import path

from dangshi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("language/", views.language_view, name="set_language"),
    path("activate/<str:key>/", views.activate_view, name="activate"),
    path("password/set/", views.password_set_view, name="password_set"),
]
