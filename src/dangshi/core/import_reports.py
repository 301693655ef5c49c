"""A failed console import, as every module's upload page shows it.

The page lists the first errors (row, column, message) and offers the uploaded sheet back with
an 错误 column (`tabular.error_report`) to correct and upload again. The sheet is kept in the
shared cache for the uploader only, for half an hour: the download may reach another app
server than the upload, and nothing is written to local disk. It holds the uploader's personal
data (phones, ID numbers) in clear, so it is kept sealed with the field key (Fernet, whose
time stamp also refuses it after half an hour even where a cache row outlives its expiry), and
expired rows of the database cache are purged whenever a report is stored.
"""

import secrets

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.core.crypto import decrypt_bytes, encrypt_bytes
from dangshi.core.downloads import attachment
from dangshi.core.tabular import ImportFailed, error_report

REPORT_SECONDS = 1800
ERRORS_SHOWN = 200


def _key(kind: str, user_id: int, token: str) -> str:
    return f"import-report:{kind}:{user_id}:{token}"


def import_failed(request, failure: ImportFailed, upload, *, kind: str, report: bool = True) -> dict:
    """The template context of a failed import: `failure`, its first errors and, when `report`,
    the `report_token` of the corrected-sheet download (see `import_report`)."""
    context = {"failure": failure, "errors": failure.errors[:ERRORS_SHOWN]}
    if report:
        context["report_token"] = report_store(failure, upload, kind=kind, user_id=request.user.pk,
                                               filename=upload.name)
    return context


def report_store(failure: ImportFailed, file, *, kind: str, user_id: int, filename: str) -> str:
    """Keep the error report of `failure` for this user (also from the worker); returns its token."""
    token = secrets.token_urlsafe(12)
    purge_expired()
    sheet = error_report(failure, file=file, filename=filename)
    cache.set(_key(kind, user_id, token), encrypt_bytes(sheet), REPORT_SECONDS)
    return token


def import_report(request, token: str, *, kind: str, filename: str) -> HttpResponse:
    """The error report kept by `import_failed` for this user; 404 once expired or for anyone else.
    The caller checks the permission first, as for the upload."""
    sealed = cache.get(_key(kind, request.user.pk, token))
    data = decrypt_bytes(sealed, ttl=REPORT_SECONDS) if isinstance(sealed, bytes) else None
    if data is None:
        raise Http404(_("导入结果已过期,请重新导入。"))
    return attachment(data, filename)


def purge_expired() -> int:
    """Delete the database cache's expired rows (Django removes them only when read or when the
    table overflows); Redis expires keys itself. Returns the rows removed."""
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        return 0
    db = router.db_for_write(backend.cache_model_class)
    connection = connections[db]
    table = connection.ops.quote_name(backend._table)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608 - the table name is the setting's
                       [connection.ops.adapt_datetimefield_value(now)])
        return cursor.rowcount
