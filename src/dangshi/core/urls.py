from django.urls import path

from dangshi.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),
    path("console/imports/<int:job_id>/", views.import_job, name="import_job"),
    path("console/imports/<int:job_id>/progress", views.import_job_progress, name="import_job_progress"),
]
