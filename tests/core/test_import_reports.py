"""A failed import's report holds the uploader's personal data: sealed in the cache, refused
once expired, and expired cache rows purged (issue 17, finding 3)."""

import time
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection

from dangshi.core import crypto, import_reports
from dangshi.core.jobs import import_job_run
from dangshi.core.models import ImportJob
from tests.orgs.roster_files import good_rows, roster_xlsx


def _fail_an_import(world):
    rows = good_rows("BRA", 3)
    rows[1][5] = "12345"  # a bad phone: the import fails with a report
    client = world.client("office")
    response = client.post("/orgs/console/import/", {"file": roster_xlsx(rows)})
    assert response.status_code == 302  # queued for the worker (core.jobs); run it here
    job = import_job_run(job_id=ImportJob.objects.latest("pk").pk)
    return client, job.report_token, rows


def test_a_cache_dump_shows_no_phone_or_id_number_of_a_failed_import(world):
    client, token, rows = _fail_an_import(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM dangshi_cache")
        dump = "".join(str(v) for (v,) in cursor.fetchall())
    assert dump  # the report is there ...
    for row in rows:  # ... but none of the sheet's phones or ID numbers can be read from it
        assert str(row[5]) not in dump and str(row[4]) not in dump
    assert client.get(f"/orgs/console/import/report/{token}.xlsx").status_code == 200


def test_a_report_row_outliving_its_expiry_is_refused(world):
    client, token, _rows = _fail_an_import(world)
    key = import_reports._key("roster", world.users["office"].pk, token)
    an_hour_ago = int(time.time()) - 3600  # Fernet keeps the sealing time: older than REPORT_SECONDS
    cache.set(key, crypto._keys()[0].encrypt_at_time(b"old sheet", an_hour_ago), 3600)
    assert client.get(f"/orgs/console/import/report/{token}.xlsx").status_code == 404


def test_expired_cache_rows_are_purged(world):
    cache.set("old-report", b"x", 600)
    cache.set("fresh", b"y", 600)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE dangshi_cache SET expires = %s WHERE cache_key LIKE %s",
                       [connection.ops.adapt_datetimefield_value(datetime(2000, 1, 1, tzinfo=UTC)), "%old-report"])
    assert import_reports.purge_expired() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM dangshi_cache")
        keys = [k for (k,) in cursor.fetchall()]
    assert not any(k.endswith("old-report") for k in keys) and any(k.endswith("fresh") for k in keys)
