from django.urls import path, register_converter

from dangshi.hotline.views import console, console_templates, public


class Open311Format:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Open311Format, "o311fmt")

app_name = "hotline"
urlpatterns = [
    path("console/", console.console_queue, name="console_queue"),
    path("console/requests/<int:request_id>/", console.console_request, name="console_request"),
    path("console/requests/<int:request_id>/act", console.console_request_act, name="console_request_act"),
    path("console/requests/<int:request_id>/matter/", console.console_request_matter, name="console_request_matter"),
    path("console/escalate", console.console_escalate, name="console_escalate"),
    path("console/kpis/", console.console_kpis, name="console_kpis"),
    path("console/import/", console.console_import, name="console_import"),
    path("console/import/template.xlsx", console_templates.console_import_template, name="console_import_template"),
    path("console/import/report/<str:report_token>.xlsx", console.console_import_report, name="console_import_report"),
    path("form/", public.public_form, name="public_form"),
]

# Open311 GeoReport v2, public, at the site root.
root_urlpatterns = [
    path("open311/v2/discovery.<o311fmt:o311_format>", public.open311_discovery, name="open311_discovery"),
    path("open311/v2/services.<o311fmt:o311_format>", public.open311_services, name="open311_services"),
    path("open311/v2/services/<str:service_code>.<o311fmt:o311_format>", public.open311_service,
         name="open311_service"),
    path("open311/v2/requests.<o311fmt:o311_format>", public.open311_requests, name="open311_requests"),
    path("open311/v2/requests/<str:service_request_id>.<o311fmt:o311_format>", public.open311_request,
         name="open311_request"),
    path("open311/v2/tokens/<str:o311_token>.<o311fmt:o311_format>", public.open311_token, name="open311_token"),
]
