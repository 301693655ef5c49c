"""红色资源: the public map's GeoJSON, the console stats and the roll-up over a busy year.

    .venv/bin/python bench/redsites_map.py [--checkins 300000] [--sites 300]

Runs against PostgreSQL (database bench_redsites, created afresh): the demo district
(534 grass-roots orgs, 11,543 members) and its 32 demo sites, then `--sites` more sites
and `--checkins` check-ins spread over the year (bulk inserts). Measures, in process
(Django test client, no HTTP server): GET /api/v1/redsites/sites.geojson (anonymous),
the office's stats page figures for the year, rollup_facts for the year, and 500 check-ins
through the service (each with its unique-constraint check, audit row and achievements).
No target is set by the issue; these are reference figures.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "bench_redsites"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
sys.path.insert(0, str(ROOT / "src"))


def reset_database() -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run([str(ROOT / ".venv/bin/dangshi"), "migrate", "-v0", "--skip-checks"], check=True, env=os.environ)


def timed(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs), max(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkins", type=int, default=300_000)
    parser.add_argument("--sites", type=int, default=300)
    args = parser.parse_args()
    reset_database()

    import django

    django.setup()
    from django.test import Client

    from dangshi.core.demo import DemoContext
    from dangshi.orgs import demo as orgs_demo
    from dangshi.orgs.models import Member
    from dangshi.orgs.scope import scope_for
    from dangshi.redsites import demo as redsites_demo
    from dangshi.redsites import selectors, services
    from dangshi.redsites.models import CheckIn, Site, SiteKind, SiteLevel

    today = date(2021, 12, 31)
    ctx = DemoContext(today=today, log=lambda *a: None)
    t = time.perf_counter()
    orgs_demo.build(ctx)
    redsites_demo.build(ctx)
    rng = random.Random(7)
    extra = [
        Site(code=f"B-{i:05d}", name=f"基准资源点{i}", kind=rng.choice(SiteKind.values), level=rng.choice(SiteLevel.values),
             lat=30.59 + rng.uniform(-0.06, 0.06), lng=114.035 + rng.uniform(-0.075, 0.075), org=ctx.root,
             address="红星区基准路", opening_hours="9:00—17:00", description="基准测试数据")
        for i in range(args.sites)
    ]
    Site.objects.bulk_create(extra)
    sites = list(Site.objects.values_list("pk", flat=True))
    members = list(Member.objects.values_list("pk", "org_id"))
    seen, batch, total = set(), [], 0
    start = date(2021, 1, 1)
    while total < args.checkins:
        m, org = rng.choice(members)
        key = (rng.choice(sites), m, start + timedelta(days=rng.randrange(364)))
        if key in seen:
            continue
        seen.add(key)
        batch.append(CheckIn(site_id=key[0], member_id=m, org_id=org, day=key[2], distance_m=0))
        total += 1
        if len(batch) == 10_000:
            CheckIn.objects.bulk_create(batch)
            batch = []
    CheckIn.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh bulk loads: give the planner statistics, as autovacuum would
    print(f"data: {Site.objects.count()} sites, {CheckIn.objects.count()} check-ins, "
          f"{len(members)} members, built in {time.perf_counter() - t:.1f} s")

    client = Client()
    response = client.get("/api/v1/redsites/sites.geojson")
    assert response.status_code == 200, response.status_code
    med, worst = timed(lambda: client.get("/api/v1/redsites/sites.geojson"), 20)
    print(f"GET sites.geojson ({len(response.content) // 1024} KiB): median {med:.1f} ms, max {worst:.1f} ms (20 runs)")

    office = scope_for(ctx.users["office"])
    med, worst = timed(lambda: selectors.stats(scope=office, start=start, end=today), 5)
    print(f"stats (office, whole year): median {med:.1f} ms, max {worst:.1f} ms (5 runs)")
    branch = scope_for(ctx.users["branch1"])
    med, worst = timed(lambda: selectors.stats(scope=branch, start=start, end=today), 5)
    print(f"stats (one branch admin, whole year): median {med:.1f} ms, max {worst:.1f} ms (5 runs)")
    med, worst = timed(lambda: list(selectors.rollup_facts(start=start, end=today)), 5)
    print(f"rollup_facts (whole year): median {med:.1f} ms, max {worst:.1f} ms (5 runs)")

    people = Member.objects.select_related("org").order_by("?")[:500]
    site_objs = list(Site.objects.filter(geofence_m__isnull=True)[:50])
    t = time.perf_counter()
    for i, member in enumerate(people):
        services.checkin_create(member=member, site=site_objs[i % len(site_objs)], today=today + timedelta(days=1))
    elapsed = time.perf_counter() - t
    print(f"500 check-ins through the service: {elapsed:.2f} s ({elapsed / 500 * 1000:.1f} ms each)")


if __name__ == "__main__":
    main()
