"""/api/v1/docs: Swagger UI from our own static files (npm `swagger-ui-dist`, vendored by
scripts/vendor_assets.py), started by a static script, so that the page renders under the
site's CSP (no CDN, no inline script) and on closed networks."""

from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed


class LocalSwagger(Swagger):
    template = "core/api_docs.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, self.template, {"swagger_settings": self.settings, "api": api,
                                               "add_csrf": _csrf_needed(api)})
