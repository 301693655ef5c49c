"""The /api/v1/ API: one NinjaAPI, each module contributing its `api.router`.

A module's `api.py` exposes `router` and optionally `PREFIX` (default: the app label);
routers are mounted in INSTALLED_APPS order, so adding a module needs no edit here.
"""

from importlib import import_module

from django.apps import apps
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dangshi.core.apidocs import DocumentedErrorsAPI, LocalSwagger
from dangshi.errors import DomainError
from dangshi.orgs.auth import AUTH

api = DocumentedErrorsAPI(
    title="dangshi API",
    version="1",
    description="党史学习教育平台 API。所有列表按调用者的组织范围过滤;范围外对象返回 404。",
    auth=AUTH,
    urls_namespace="api",
    docs=LocalSwagger(),
)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"code": "not_found", "message": str(exc) or _("未找到。")}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"code": "unauthenticated", "message": _("请先登录或提供有效的令牌。")}, status=401)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "payload")]
    body = {"code": "invalid", "message": _("请求参数有误:%(f)s") % {"f": ".".join(loc) or "?"}, "errors": exc.errors}
    if loc:
        body["field"] = ".".join(loc)
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"code": "error", "message": str(exc)}, status=exc.status_code)


def _mount_module_routers() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("dangshi."):
            continue
        try:
            module = import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.api":
                continue
            raise
        prefix = getattr(module, "PREFIX", f"/{config.label}/")
        api.add_router(prefix, module.router)


_mount_module_routers()
