"""Benchmark: the outreach coverage matrix (orgs × 12 months).

Run (one command; generates its own data on first run, reuses it afterwards):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_outreach .venv/bin/python bench/outreach_coverage.py

Add `--fresh` to drop the benchmark database and regenerate the data. Targets (issue 6):
  - the console page for 534 grass-roots orgs × 12 months renders in < 300 ms;
  - GET /api/v1/outreach/coverage for 100,000 orgs × 12 months answers in < 2 s on PostgreSQL.
Requests go through the full Django stack (middleware, auth, scope, view/API, template/JSON)
with django.test.Client in this process; no HTTP socket. The API figure is for the whole
matrix in one response (the script checks that all 100,000 rows came back). The load average
is printed with the figures: on a shared machine they are only comparable at similar load.
"""

import io
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import copy_rows, ensure_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_outreach")

SMALL, BIG = ("BOA", 534), ("BOB", 100_000)
MONTHS = 12


def generate(code: str, orgs: int, months: list[date]) -> None:
    """A root with streets of 1,000 (or 54) grass-roots branches; each org gets a session in
    ~85% of months, half of the sessions covering a second org too."""
    from django.conf import settings
    from django.db import connection, transaction

    from dangshi.orgs.models import Org, OrgKind
    from dangshi.orgs.services import path_segment
    from dangshi.outreach.models import VenueKind

    rng = random.Random(f"bench:{code}")
    step = settings.ORG_PATH_STEP
    top = Org.objects.filter(depth=0).order_by("-path").values_list("path", flat=True).first()
    root_path = path_segment(int(top, 36) + 1 if top else 1)
    per_street = 54 if orgs < 1000 else 1000
    venue = VenueKind.objects.get(code="community").pk
    t0 = time.perf_counter()
    with transaction.atomic():
        root = Org.objects.create(code=code, name=f"基准测试区 {code}", kind=OrgKind.DISTRICT, path=root_path, depth=0)
        streets, branches = [], []
        for s in range((orgs + per_street - 1) // per_street):
            streets.append(Org(code=f"{code}S{s:04d}", name=f"第{s + 1}街道党工委", kind=OrgKind.WORKING_COMMITTEE, parent=root,
                               path=root_path + path_segment(s + 1), depth=1))
        Org.objects.bulk_create(streets, batch_size=2000)
        for n in range(orgs):
            street = streets[n // per_street]
            branches.append(Org(code=f"{code}B{n:06d}", name=f"{street.name}第{n % per_street + 1}党支部", kind=OrgKind.BRANCH,
                                parent=street, grassroots=True, path=street.path + path_segment(n % per_street + 1), depth=2))
        Org.objects.bulk_create(branches, batch_size=5000)
        ids = list(Org.objects.filter(path__startswith=root_path, grassroots=True).order_by("path").values_list("id", flat=True))
        assert len(root_path) == step
        with connection.cursor() as cursor:
            raw = cursor.connection.cursor()
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM outreach_session")
            next_id = cursor.fetchone()[0] + 1
            sessions, covered = [], []
            for month in months:
                todo = [i for i in ids if rng.random() < 0.85]
                while todo:
                    k = 2 if rng.random() < 0.5 else 1
                    batch, todo = todo[:k], todo[k:]
                    when = datetime(month.year, month.month, rng.randint(1, 27), 2, 0, tzinfo=UTC)
                    sessions.append((next_id, batch[0], when, venue, "党群服务中心", "百年党史", rng.randint(20, 120), 0, "", when))
                    covered += [(next_id, o, month) for o in batch]
                    next_id += 1
            copy_rows(raw, "outreach_session", ["id", "org_id", "starts_at", "venue_kind_id", "place", "topic", "audience_offline",
                                            "audience_online", "online_platform", "created_at"], sessions)
            copy_rows(raw, "outreach_sessionorg", ["session_id", "org_id", "month"], covered)
            cursor.execute("SELECT setval(pg_get_serial_sequence('outreach_session', 'id'), %s)", [next_id])
            cursor.execute("ANALYZE outreach_session; ANALYZE outreach_sessionorg; ANALYZE orgs_org")
    print(f"  generated {code}: {orgs:,} orgs, {len(sessions):,} sessions, {len(covered):,} coverage rows "
          f"in {time.perf_counter() - t0:.1f}s")


def timed(client, url: str, runs: int) -> tuple[list[float], bytes]:
    times, body = [], b""
    for _ in range(runs):
        t = time.perf_counter()
        response = client.get(url)
        body = response.content
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code, body[:300])
    return times, body


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main() -> None:
    ensure_database("--fresh" in sys.argv)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from dangshi.orgs.models import Org, Role, RoleBinding
    from dangshi.outreach.coverage import months_ending

    setup_test_environment()  # allows the 'testserver' host
    call_command("migrate", verbosity=0)
    month = timezone.localdate().replace(day=1)
    months = months_ending(month, MONTHS)
    for code, size in (SMALL, BIG):
        if not Org.objects.filter(code=code).exists():
            generate(code, size, months)
    from django.db import connection

    with connection.cursor() as cursor:  # visibility map up to date: index-only scans, as on a settled database
        cursor.execute("VACUUM ANALYZE outreach_sessionorg")
    user, _ = get_user_model().objects.get_or_create(username="bench-office")
    for code, _ in (SMALL, BIG):
        RoleBinding.objects.get_or_create(user=user, role=Role.OFFICE, org=Org.objects.get(code=code))
    client = Client()
    client.force_login(user)
    out = io.StringIO()
    page_url = f"/outreach/console/?org={SMALL[0]}&month={month:%Y-%m}"
    api_url = f"/api/v1/outreach/coverage?org={BIG[0]}&month={month:%Y-%m}&months={MONTHS}"
    load_before = loadavg()
    timed(client, page_url, 2)  # warm-up
    page, page_body = timed(client, page_url, 10)
    timed(client, api_url, 1)
    api, api_body = timed(client, api_url, 5)
    matrix = json.loads(api_body)  # the whole matrix came back, not a page of it
    assert len(matrix["orgs"]) == BIG[1] and all(len(row[2]) == MONTHS for row in matrix["orgs"]), "incomplete matrix"
    print(f"coverage page, {SMALL[1]} orgs × {MONTHS} months: median {statistics.median(page):.0f} ms "
          f"(min {min(page):.0f}, max {max(page):.0f}; {len(page_body) / 1024:.0f} KiB) — target < 300 ms", file=out)
    print(f"coverage API, {BIG[1]:,} orgs × {MONTHS} months: median {statistics.median(api):.0f} ms "
          f"(min {min(api):.0f}, max {max(api):.0f}; {len(api_body) / 1024 / 1024:.1f} MiB JSON, {len(matrix['orgs']):,} rows)"
          f" — target < 2000 ms", file=out)
    print(f"load average (1/5/15 min): {load_before} before, {loadavg()} after — the machine is shared", file=out)
    print(out.getvalue(), end="")


if __name__ == "__main__":
    main()
