"""/api/v1/docs: Swagger UI from our own static files (npm `swagger-ui-dist`, vendored by
scripts/vendor_assets.py), started by a static script, so that the page renders under the
site's CSP (no CDN, no inline script) and on closed networks."""

from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger, _csrf_needed


class LocalSwagger(Swagger):
    template = "core/api_docs.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, self.template, {"swagger_settings": self.settings, "api": api,
                                               "add_csrf": _csrf_needed(api)})


# Every operation can answer these (dangshi.api's exception handlers), all with the same body.
ERROR_RESPONSES = {
    "401": "未登录或令牌无效",
    "403": "无权执行(Refused)",
    "404": "不存在或不在调用者的范围内",
    "409": "状态冲突(Conflict)",
    "422": "参数或内容有误(Invalid)",
}
ERROR_SCHEMA = {
    "title": "ErrorBody",
    "type": "object",
    "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"},
        "row": {"type": "integer"}, "errors": {"type": "array", "items": {}},
    },
    "required": ["code", "message"],
}


class DocumentedErrorsAPI(NinjaAPI):
    """NinjaAPI whose published schema declares the error answers every operation may give
    (401, 403, 404, 409, 422 with the `{"code", "message", ...}` body), so that a client, or
    schemathesis, reading the document knows them."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorBody"] = ERROR_SCHEMA
        ref = {"$ref": "#/components/schemas/ErrorBody"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(status, {"description": description,
                                                  "content": {"application/json": {"schema": ref}}})
        return schema
