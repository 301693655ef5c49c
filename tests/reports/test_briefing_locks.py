"""Briefing generation and other writers on PostgreSQL: the series stays numbered under
concurrency, and a pre-aggregation committing (its foreign-key checks hold FOR KEY SHARE on
every org, the root too) no longer holds a briefing up (the 119.7 s run, docs/perf/reports.md)."""

import io
import threading

import pytest
from django.db import connection, connections
from docx import Document

from dangshi.reports import periods, services
from dangshi.reports.models import Briefing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_pending_foreign_key_check_on_the_org_does_not_block_the_briefing(world, fake, media):
    held, release = threading.Event(), threading.Event()

    def writer():
        # What a pre-aggregation's commit does for each of its rows: the foreign-key check's lock.
        try:
            with connections["default"].cursor() as cur:
                cur.execute("BEGIN")
                cur.execute("SELECT 1 FROM orgs_org WHERE id = %s FOR KEY SHARE", [world.root.pk])
                held.set()
                release.wait(30)
                cur.execute("ROLLBACK")
        finally:
            connections["default"].close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert held.wait(10)
        with connection.cursor() as cur:
            cur.execute("SET lock_timeout = '3s'")  # a FOR UPDATE would wait here, then fail
        briefing = services.briefing_generate(org=world.root, period=periods.week("2021-W23"))
        assert briefing.number == 1
    finally:
        release.set()
        thread.join()
        with connection.cursor() as cur:
            cur.execute("RESET lock_timeout")


def test_concurrent_generations_of_new_periods_take_consecutive_numbers(world, fake, media):
    errors = []

    def generate(key):
        try:
            services.briefing_generate(org=world.root, period=periods.week(key))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=generate, args=(key,)) for key in ("2021-W20", "2021-W22", "2021-W23")]  # weeks with figures (an empty week is refused)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    briefings = list(Briefing.objects.filter(org=world.root))
    assert sorted(b.number for b in briefings) == [1, 2, 3]
    for b in briefings:  # the number printed is the number kept
        with b.file.open("rb") as fh:
            text = "\n".join(p.text for p in Document(io.BytesIO(fh.read())).paragraphs)
        assert f"第 {b.number} 期" in text
