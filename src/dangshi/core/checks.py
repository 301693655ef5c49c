"""System checks (run by every `dangshi` command, and said again when the WSGI app starts)."""

import logging

from django.conf import settings
from django.core.checks import Warning, register

from dangshi.core.backup import key_beside_database

logger = logging.getLogger("dangshi")

KEY_BESIDE_DB = ("FIELD_ENCRYPTION_KEY is the generated file var/field_encryption_key, in the same folder as "
                 "the SQLite database: a copy of var/ holds both the personal data and the key that reads it. "
                 "Set FIELD_ENCRYPTION_KEY in the environment and keep the key apart (docs/deploy.md).")


@register("security", deploy=False)
def key_apart_from_database(app_configs, **kwargs):
    if settings.DEBUG or not key_beside_database():
        return []
    return [Warning(KEY_BESIDE_DB, id="dangshi.W001")]


def warn_at_startup() -> None:
    """Called by wsgi.py: production mode (DEBUG off) logs the warning once per process."""
    if not settings.DEBUG and key_beside_database():
        logger.warning(KEY_BESIDE_DB)
