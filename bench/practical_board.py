"""Benchmark: the practical module's read paths at city scale.

Run (PostgreSQL, a scratch database it drops and recreates):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_practical .venv/bin/python bench/practical_board.py [--matters 5000]

Builds the demo district (11,543 members, 174 matters) and then bulk-adds matters (with
milestones, claims and ratings) up to --matters, and times: the 开工率 tables (by tier, field,
org), the office's must-claim list, the weekly agenda lines, the public board's first page and a
matter's public page (through Django's test client, templates included). Prints the figures.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")


def timed(label, fn, runs=5):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    print(f"{label:42s} median {statistics.median(times) * 1000:8.1f} ms   max {max(times) * 1000:8.1f} ms")


def _recreate_database(url: str) -> None:
    """Drop and recreate the scratch database, so the schema is always the current one."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or not name.startswith("bench_"):
        sys.exit("set DATABASE_URL to a PostgreSQL scratch database whose name starts with bench_")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--matters", type=int, default=5000)
    args = parser.parse_args()
    _recreate_database(os.environ.get("DATABASE_URL", ""))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL scratch database (bench_practical)")
    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from dangshi.core.demo import DemoContext
    from dangshi.orgs import demo as orgs_demo
    from dangshi.orgs.models import Org
    from dangshi.orgs.scope import scope_for
    from dangshi.practical import demo, selectors
    from dangshi.practical.models import Claim, Matter, Milestone

    t = time.perf_counter()
    ctx = DemoContext(log=lambda *_: None)
    orgs_demo.build(ctx)
    demo.build(ctx)
    print(f"demo district built in {time.perf_counter() - t:.1f} s")
    base = list(Matter.objects.filter(parent__isnull=True))
    committees = list(Org.objects.filter(depth=2))
    extra, n = [], len(base)
    while n < args.matters:
        src = base[n % len(base)]
        extra.append(Matter(campaign=src.campaign, org=committees[n % len(committees)], title=f"{src.title}·{n}",
                            tier=src.tier, level=src.level, field=src.field, planned_start=src.planned_start,
                            planned_end=src.planned_end, state=src.state, progress=src.progress,
                            started_on=src.started_on, completed_on=src.completed_on, claim_count=0))
        n += 1
    t = time.perf_counter()
    Matter.objects.bulk_create(extra, batch_size=2000)
    Milestone.objects.bulk_create((Milestone(matter=m, title="节点", due_on=m.planned_start + timedelta(days=30))
                                   for m in extra), batch_size=5000)
    print(f"added {len(extra)} matters in {time.perf_counter() - t:.1f} s; "
          f"{Matter.objects.count()} matters, {Claim.objects.count()} claims")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    office = scope_for(ctx.users["office"])
    timed("rates by tier (all matters)", lambda: selectors.rates(root=ctx.root, by="tier", campaign=ctx.campaign))
    timed("rates by field", lambda: selectors.rates(root=ctx.root, by="field", campaign=ctx.campaign))
    timed("rates by org (streets)", lambda: selectors.rates(root=ctx.root, by="org", campaign=ctx.campaign))
    timed("must-claim list (count + first 100)", lambda: (
        selectors.must_claim(scope=office, campaign=ctx.campaign).count(),
        list(selectors.must_claim(scope=office, campaign=ctx.campaign)[:100])))
    timed("agenda items (lagging / overdue)", lambda: selectors.agenda_items(
        root=ctx.root, week_start=ctx.today - timedelta(days=6), week_end=ctx.today))
    timed("rollup_facts (year)", lambda: selectors.rollup_facts(start=ctx.campaign.starts_on, end=ctx.today))
    client = Client()
    timed("GET /practical/board/ (page 1)", lambda: client.get("/practical/board/"), runs=10)
    timed("GET /practical/board/?tier=key&page=2", lambda: client.get("/practical/board/?tier=key&page=2"), runs=10)
    pk = base[0].pk
    timed("GET /practical/board/<matter_id>/", lambda: client.get(f"/practical/board/{pk}/"), runs=10)


if __name__ == "__main__":
    main()
