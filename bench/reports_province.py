"""Benchmark: the 驾驶舱 and the weekly briefing for a province (100,000 orgs, 3,000,000 members).

Run (one command; generates its own data on first run, reuses it afterwards):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reports .venv/bin/python bench/reports_province.py

`--fresh` drops the benchmark database and regenerates; `--scale 0.1` builds a tenth of it.
Targets (issue 9): the dashboard for the root answers in < 500 ms, the weekly briefing for
the root is generated in < 30 s, on PostgreSQL.

Data: a province → 50 cities → 1,000 counties → 98,949 branches (100,000 orgs), 3,000,000
members (COPY), and a season (13 weeks) of per-branch daily facts for quiz attempts,
answers, correct answers, lecture sessions, audience and 12345 requests (a `bench_fact`
table: what the modules' `rollup_facts` would compute from their raw rows). The roll-up
engine reads it through a provider injected into `dangshi.core.contracts.providers`,
beside reports' own org/member counts; the other modules' providers are left out because
their tables are empty here (`--all-providers` includes them).

Also 3,000 red sites spread over the counties, for the dashboard's map.

Measured: the pre-aggregation of the week (the Monday task), the dashboard API and page for
the root through the full Django stack (django.test.Client in this process, no socket), the
.docx briefing for the root five times (each run printed with its SQL time, its slowest
statement and the load average, then the median and the max), and once more while another
process commits a pre-aggregation (the cause of the 119.7 s outlier: docs/perf/reports.md;
`--no-contention` skips it). The machine is shared: read the load average beside each figure.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import copy_rows, ensure_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_reports")

CITIES, COUNTIES_PER_CITY = 50, 20
SITES = 3_000  # red sites (memorials, former sites, stations...) of a province, for the map
SEASON_START, WEEKS = date(2021, 3, 15), 13  # the season ends with 2021-W23
WEEK = "2021-W23"
METRICS = {
    "quiz.attempts": "答题人次", "quiz.answered": "答题数", "quiz.correct": "答对题数",
    "outreach.sessions": "宣讲场次", "outreach.audience_offline": "宣讲现场听众人次", "hotline.requests": "12345诉求派办件数",
}


def generate(scale: float) -> None:
    from django.db import connection, transaction

    from dangshi.orgs.models import Org, OrgKind
    from dangshi.orgs.services import path_segment

    if Org.objects.filter(code="PROV").exists():
        return
    cities = max(1, round(CITIES * scale))
    branches_total = int(round(100_000 * scale)) - 1 - cities - cities * COUNTIES_PER_CITY
    members_total = int(3_000_000 * scale)
    t0 = time.perf_counter()
    orgs, branches = [], []
    next_id = (Org.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1

    def add(parent, name, kind, grassroots, n):
        nonlocal next_id
        path = (parent[5] if parent else "") + path_segment(n)
        row = (next_id, f"P{next_id:06d}", name, kind, parent[0] if parent else None, path, len(path) // 4 - 1, grassroots, n)
        orgs.append(row)
        next_id += 1
        return row

    root = add(None, "中共某省委员会", OrgKind.DISTRICT, False, 1)
    orgs[-1] = (*root[:1], "PROV", *root[2:])
    counties = []
    for c in range(cities):
        city = add(root, f"中共第{c + 1}市委员会", OrgKind.WORKING_COMMITTEE, False, c + 1)
        for k in range(COUNTIES_PER_CITY):
            counties.append(add(city, f"中共第{c + 1}市第{k + 1}县委员会", OrgKind.COMMITTEE, True, k + 1))
    per_county = branches_total // len(counties)
    extra = branches_total - per_county * len(counties)
    for i, county in enumerate(counties):
        for b in range(per_county + (1 if i < extra else 0)):
            branches.append(add(county, f"{county[2]}第{b + 1}党支部", OrgKind.BRANCH, True, b + 1))
    with transaction.atomic(), connection.cursor() as cur:
        copy_rows(cur, "orgs_org", ["id", "code", "name", "kind", "parent_id", "path", "depth", "grassroots", "position",
                                "two_new", "mobile", "secretary", "contact"],
              (r + ("", False, "", "") for r in orgs))
        cur.execute("SELECT setval(pg_get_serial_sequence('orgs_org', 'id'), %s)", [next_id])
    print(f"orgs: {len(orgs):,} in {time.perf_counter() - t0:.1f}s")

    t0 = time.perf_counter()
    per_branch = members_total // len(branches)
    with transaction.atomic(), connection.cursor() as cur:
        def members():
            for i, b in enumerate(branches):
                for j in range(per_branch + (1 if i < members_total - per_branch * len(branches) else 0)):
                    yield (b[0], f"党员{j + 1}", "M" if j % 2 else "F", "", "", "ordinary", False, False, False, True)

        copy_rows(cur, "orgs_member", ["org_id", "name", "gender", "phone", "id_number", "category", "mobile", "youth",
                                   "two_new", "active"], members())
    print(f"members: {members_total:,} in {time.perf_counter() - t0:.1f}s")

    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_fact (org_path varchar(255), day date, metric varchar(60), value double precision)")

        # Generated in the database (generate_series): a Python COPY of ~25M rows takes minutes.
        branch = "FROM orgs_org o, generate_series(%s::date, %s::date, '1 day') d WHERE o.kind = 'branch'"
        span = [SEASON_START, SEASON_START + timedelta(days=WEEKS * 7 - 1)]
        cur.execute("SELECT setseed(0.2021)")
        cur.execute(f"INSERT INTO bench_fact SELECT o.path, d, 'quiz.attempts', floor(random() * {per_branch + 1}) {branch}", span)
        cur.execute("INSERT INTO bench_fact SELECT org_path, day, 'quiz.answered', value * 10 FROM bench_fact "
                    "WHERE metric = 'quiz.attempts'")
        cur.execute("INSERT INTO bench_fact SELECT org_path, day, 'quiz.correct', value * (6 + floor(random() * 5)) "
                    "FROM bench_fact WHERE metric = 'quiz.attempts'")
        cur.execute(f"INSERT INTO bench_fact SELECT o.path, d, 'outreach.sessions', 1 {branch} "  # noqa: S608 - constants
                    "AND (extract(doy FROM d)::int + o.id) %% 7 = 0", span)
        cur.execute(f"INSERT INTO bench_fact SELECT o.path, d, 'outreach.audience_offline', 10 + floor(random() * 50) {branch} "  # noqa: S608
                    "AND (extract(doy FROM d)::int + o.id) %% 7 = 0", span)
        cur.execute(f"INSERT INTO bench_fact SELECT o.path, d, 'hotline.requests', 1 {branch} AND random() < 0.02", span)
        cur.execute("CREATE INDEX IF NOT EXISTS bench_fact_day ON bench_fact (day, org_path)")
        cur.execute("ANALYZE")
        cur.execute("SELECT count(*) FROM bench_fact")
        n = cur.fetchone()[0]
    print(f"facts: {n:,} rows in {time.perf_counter() - t0:.1f}s")


def generate_sites(scale: float) -> None:
    """Red sites managed by the counties, scattered over a 6° × 4° box (a province)."""
    import random

    from django.db import connection, transaction

    from dangshi.orgs.models import Org, OrgKind
    from dangshi.redsites.models import Site, SiteKind, SiteLevel

    if Site.objects.filter(code__startswith="BENCH-").exists():
        return
    rng = random.Random(2021)
    counties = list(Org.objects.filter(kind=OrgKind.COMMITTEE).values_list("id", flat=True))
    kinds, levels = SiteKind.values, SiteLevel.values
    with transaction.atomic(), connection.cursor() as cur:
        copy_rows(cur, "redsites_site", ["code", "name", "kind", "level", "address", "lat", "lng", "opening_hours", "capacity",
                                     "contact", "description", "org_id", "is_demo", "active"],
              ((f"BENCH-{i:05d}", f"红色资源点{i}", rng.choice(kinds), rng.choice(levels), "", 28 + rng.random() * 4,
                110 + rng.random() * 6, "", 50, "", "", rng.choice(counties), True, True)
               for i in range(max(1, int(SITES * scale)))))
        cur.execute("ANALYZE redsites_site")
    print(f"red sites: {Site.objects.count():,}")


def bench_provider(*, start, end, root_path=""):
    """What a module's rollup_facts does: its raw rows summed per org for the period."""
    from django.db import connection

    from dangshi.core.contracts import Fact

    with connection.cursor() as cur:
        cur.execute("SELECT org_path, metric, sum(value) FROM bench_fact WHERE day BETWEEN %s AND %s AND org_path LIKE %s "
                    "GROUP BY org_path, metric", [start, end, root_path + "%"])
        for path, metric, value in cur:
            yield Fact(path, metric, value)


def install_provider(all_providers: bool) -> None:
    from dangshi.core import contracts

    real = contracts.providers

    def providers(name):
        found = [p for p in real(name) if all_providers or p[0] in {"reports", "supervision"}]
        if name == "ROLLUP_METRICS":
            found.append(("bench", METRICS))
        elif name == "rollup_facts":
            found.append(("bench", bench_provider))
        return found

    contracts.providers = providers


def timed(fn, n=1):
    times = []
    result = None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return result, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--all-providers", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="time the pre-aggregation again")
    parser.add_argument("--briefings", type=int, default=5, help="how many times to generate the root briefing")
    parser.add_argument("--no-contention", action="store_true", help="skip the briefing during a concurrent pre-aggregation")
    parser.add_argument("--rebuild-only", metavar="WEEK", help=argparse.SUPPRESS)
    args = parser.parse_args()
    ensure_database(args.fresh)

    import django

    django.setup()
    from django.core.management import call_command

    # Only the apps this benchmark touches: other modules' migrations are still being rewritten.
    for app in ("sessions", "audit", "redsites", "supervision", "reports"):
        call_command("migrate", app, verbosity=0)
    generate(args.scale)
    generate_sites(args.scale)
    install_provider(args.all_providers)
    if args.rebuild_only:  # the competing writer of the contention run (see below)
        from dangshi.reports import periods, services

        services.rollup_rebuild(period=periods.week(args.rebuild_only))
        return

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from dangshi.orgs.models import Member, Org, Role, RoleBinding
    from dangshi.reports import periods, services

    settings.ALLOWED_HOSTS = ["*"]
    settings.MEDIA_ROOT = Path(tempfile.gettempdir()) / "bench_reports_media"
    root = Org.objects.get(code="PROV")
    print(f"tree: {Org.objects.count():,} orgs, {Member.objects.count():,} members; load average {load()}")
    week = periods.week(WEEK)

    from dangshi.reports.models import RollupBuild

    if args.rebuild or not RollupBuild.objects.filter(period=week.key).exists():
        build, ms = timed(lambda: services.rollup_rebuild(period=week))
        print(f"pre-aggregation of {WEEK} (the Monday task): {ms[0] / 1000:.1f}s, {build.rows.count():,} subtree rows"
              f" (load {load()})")
        for w in periods.weeks_before(week, 8)[:-1]:
            services.rollup_rebuild(period=w)
        print("pre-aggregated the 7 weeks before too (the trend)")
    else:
        print("weeks already pre-aggregated (--rebuild to time it again)")

    user, _created = get_user_model().objects.get_or_create(username="bench_office")
    RoleBinding.objects.get_or_create(user=user, role=Role.OFFICE, org=root)
    client = Client()
    client.force_login(user)
    client.get(f"/api/v1/reports/dashboard?org=PROV&period={WEEK}")  # warm caches and imports
    response, ms = timed(lambda: client.get(f"/api/v1/reports/dashboard?org=PROV&period={WEEK}"), n=10)
    assert response.status_code == 200, response.content[:300]
    print(f"dashboard API, root, pre-aggregated week: {runs_ms(ms)} (load {load()})")
    response, ms = timed(lambda: client.get(f"/reports/console/dashboard/?org=PROV&period={WEEK}"), n=10)
    assert response.status_code == 200
    print(f"dashboard page with the map, root ({len(response.content):,} bytes): {runs_ms(ms)} (load {load()})")

    print(f"weekly briefing .docx for the root, {args.briefings} runs:")
    seconds = [briefing_run(n, lambda: services.briefing_generate(org=root, period=week))
               for n in range(1, args.briefings + 1)]
    print(f"  median {statistics.median(seconds):.1f}s, max {max(seconds):.1f}s (target < 30 s)")
    if not args.no_contention:
        contention(args, lambda: services.briefing_generate(org=root, period=week))

    from dangshi.reports import engine

    w15 = periods.week("2021-W15")
    fig, ms = timed(lambda: engine.figures(org=root, start=w15.start, end=w15.end))
    print(f"root figures for a week never pre-aggregated (raw scan of the providers): {ms[0] / 1000:.1f}s ({fig.source})"
          f" (load {load()})")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def runs_ms(ms: list[float]) -> str:
    return (f"median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms "
            f"(n={len(ms)}: {', '.join(f'{m:.0f}' for m in ms)})")


def briefing_run(n: int, generate) -> float:
    """One briefing, printed with what its time went to: SQL (and the slowest statement,
    where a lock wait would show) against the rest (python-docx, matplotlib)."""
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - t0, sql))

    before = load()
    with connection.execute_wrapper(record):
        briefing, ms = timed(generate)
    seconds = ms[0] / 1000
    sql = sum(d for d, _sql in statements)
    slowest, slowest_sql = max(statements)
    print(f"  run {n}: {seconds:.1f}s (SQL {sql:.2f}s in {len(statements)} statements, slowest {slowest * 1000:.0f} ms: "
          f"{' '.join(slowest_sql.split())[:70]}...; {Path(briefing.file.path).stat().st_size:,} bytes; load {before})")
    return seconds


def contention(args, generate) -> None:
    """The briefing while another process commits a pre-aggregation of the whole tree (the
    Monday task, or `schedule-briefings --current` every quarter hour): that commit checks the
    foreign key of ~800,000 rows, holding FOR KEY SHARE on every org, the root too."""
    import subprocess

    import psycopg

    writer = subprocess.Popen([sys.executable, __file__, "--rebuild-only", "2021-W22", "--scale", str(args.scale)],
                              env=os.environ.copy())
    try:
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            name = conn.info.dbname
            deadline = time.monotonic() + 900
            while writer.poll() is None and time.monotonic() < deadline:
                row = conn.execute("SELECT 1 FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                                   "AND query LIKE 'COMMIT%%' AND pid <> pg_backend_pid()", [name]).fetchone()
                if row:
                    break
                time.sleep(0.5)
            else:
                print("  (the competing pre-aggregation ended before its commit was seen; no contention run)")
                return
        print("weekly briefing while another process commits a pre-aggregation:")
        briefing_run(1, generate)
    finally:
        writer.wait()


if __name__ == "__main__":
    main()
