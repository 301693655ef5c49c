from django.urls import path

from dangshi.supervision.views import console, console_reviews, member

app_name = "supervision"
urlpatterns = [
    path("console/", console.console_structure, name="console_structure"),
    path("console/tasks/", console.console_tasks, name="console_tasks"),
    path("console/tasks/<int:task_id>/", console.console_task, name="console_task"),
    path("console/tasks/import/", console.console_tasks_import, name="console_tasks_import"),
    path("console/tasks/import/template.xlsx", console.console_tasks_template, name="console_tasks_template"),
    path("console/tasks/import/report/<str:token>.xlsx", console.console_tasks_import_report, name="console_tasks_import_report"),
    path("console/dispatch/", console.console_dispatch, name="console_dispatch"),
    path("console/visits/", console_reviews.console_visits, name="console_visits"),
    path("console/visits/<int:visit_id>/", console_reviews.console_visit, name="console_visit"),
    path("console/reviews/", console_reviews.console_reviews, name="console_reviews"),
    path("console/reviews/<int:member_id>/", console_reviews.console_review, name="console_review"),
    path("console/competitions/", console_reviews.console_competitions, name="console_competitions"),
    path("console/competitions/<int:competition_id>/", console_reviews.console_competition, name="console_competition"),
    path("m/reviews/", member.member_reviews, name="member_reviews"),
]
