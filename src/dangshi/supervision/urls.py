from django.urls import path

from dangshi.supervision import views, views_more

app_name = "supervision"
urlpatterns = [
    path("console/", views.console_structure, name="console_structure"),
    path("console/tasks/", views.console_tasks, name="console_tasks"),
    path("console/tasks/<int:task_id>/", views.console_task, name="console_task"),
    path("console/tasks/import/", views.console_tasks_import, name="console_tasks_import"),
    path("console/tasks/import/template.xlsx", views.console_tasks_template, name="console_tasks_template"),
    path("console/tasks/import/report/<str:token>.xlsx", views.console_tasks_import_report, name="console_tasks_import_report"),
    path("console/dispatch/", views.console_dispatch, name="console_dispatch"),
    path("console/visits/", views_more.console_visits, name="console_visits"),
    path("console/visits/<int:visit_id>/", views_more.console_visit, name="console_visit"),
    path("console/reviews/", views_more.console_reviews, name="console_reviews"),
    path("console/reviews/<int:member_id>/", views_more.console_review, name="console_review"),
    path("console/competitions/", views_more.console_competitions, name="console_competitions"),
    path("console/competitions/<int:competition_id>/", views_more.console_competition, name="console_competition"),
    path("m/reviews/", views_more.member_reviews, name="member_reviews"),
]
