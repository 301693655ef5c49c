import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
application = get_wsgi_application()

from dangshi.core.checks import warn_at_startup  # noqa: E402 - needs the settings configured above

warn_at_startup()
