"""The 12345 import template download (kept apart from the console views it serves)."""

from django.views.decorators.http import require_GET

from dangshi.core.downloads import attachment
from dangshi.hotline.intake import requests_template


@require_GET
def console_import_template(request):
    request.scope.require_office()  # who may import requests
    return attachment(requests_template(), "12345工单导入模板.xlsx")
