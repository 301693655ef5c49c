"""Root URLs. Each module's `urls.py` is mounted at /<label>/ (its `urlpatterns`, namespaced
by `app_name`) and may add `root_urlpatterns` at the site root (public pages such as
/verify/<serial>, /feeds/, /calendar/, /open311/v2/); adding a module needs no edit here."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy

from dangshi.api import api
from dangshi.core.media import serve_upload


def _api_urls():
    """The API authenticates itself (401 JSON, bearer or session); exempt it from the
    login redirect that LoginRequiredMiddleware gives pages."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns, app_name, namespace


urlpatterns = [
    path("", include("dangshi.core.urls")),
    path("accounts/", include("dangshi.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", _api_urls()),
]

for config in apps.get_app_configs():
    if not config.name.startswith("dangshi.") or config.label in {"core", "accounts"}:
        continue
    try:
        module = import_module(f"{config.name}.urls")
    except ModuleNotFoundError as exc:
        if exc.name == f"{config.name}.urls":
            continue
        raise
    urlpatterns.append(path(f"{config.label}/", include(module)))
    urlpatterns.extend(getattr(module, "root_urlpatterns", []))

# Uploads, with the headers that keep them from running as pages (core.media); in production
# nginx may serve /media/ itself with the same headers (docs/deploy.md).
urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_upload, name="media"))

admin.site.site_header = gettext_lazy("党史学习教育平台 · 数据管理")
admin.site.site_title = "dangshi"
