"""The red-site import template download (kept apart from the console views it serves)."""

from django.views.decorators.http import require_GET

from dangshi.core.downloads import attachment
from dangshi.redsites import transfer


@require_GET
def console_import_template(request):
    request.scope.require_admin()  # who may import sites
    return attachment(transfer.sites_template(), "红色资源导入模板.xlsx")
