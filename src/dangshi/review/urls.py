from django.urls import path

from dangshi.review.views import console as views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("questions/<int:question_id>/", views.question, name="question"),
    path("reports/<int:report_id>/resolve/", views.report_resolve, name="report_resolve"),
    path("policy/", views.policy, name="policy"),
]
