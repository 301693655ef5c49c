"""Season leaderboard of 1,000,000 members: snapshot rebuild time and top-100 API latency.

    .venv/bin/python bench/quiz_leaderboard.py [--members 1000000] [--requests 200]

PostgreSQL (database bench_quiz_board, created afresh). The data are written by SQL
(generate_series): a district of 10 streets × 50 branches, `members` members and one season
aggregate (Standing) per member with 1–120 days answered. Then:
1. `snapshot_rebuild` (one INSERT … SELECT with ROW_NUMBER()) is timed, twice (the second
   also deletes the first snapshot's rows, as a scheduled rebuild does);
2. granian (WSGI, 2 workers) serves the app on port 8102 and GET /api/v1/quiz/leaderboard
   (season, limit 100) is called sequentially over one keep-alive connection by an office
   user (the whole district, and one street of 100,000) and by a member (their branch, and
   the district, each with `me`); the median and 95th percentile are printed. The snapshot's
   age is checked before and after: every request must have read the snapshot (the board
   falls back to ranking live when it is older than ranking.SNAPSHOT_FRESH).
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB = "bench_quiz_board"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = 8102
OFFICE_KEY = "bench-office-key"
MEMBER_KEY = "bench-member-key"


def env():
    return dict(os.environ, DATABASE_URL=URL, PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="dangshi.settings")


def psql(sql: str, db: str = DB) -> str:
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAc", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def _populate(members: int) -> None:
    import hashlib
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from dangshi.accounts.models import ApiToken
    from dangshi.orgs.models import Campaign, OrgKind, Role, RoleBinding
    from dangshi.quiz.services import contest_create
    from tests import factories as f

    root = f.org(None, "中共压测区委员会", OrgKind.DISTRICT, code="BENCH", grassroots=False)
    for s in range(10):
        street = f.org(root, f"压测第{s}街道工作委员会", OrgKind.WORKING_COMMITTEE, code=f"S{s:02d}", grassroots=False)
        for b in range(50):
            f.org(street, f"压测第{s}街道第{b}党支部", code=f"S{s:02d}B{b:02d}")
    today = timezone.localdate()
    campaign = Campaign.objects.create(name="压测", root=root, starts_on=today - timedelta(days=119), ends_on=today)
    contest = contest_create(campaign=campaign, org=root, title="每日答题", starts_on=today - timedelta(days=119),
                             ends_on=today)
    with connection.cursor() as cur:
        cur.execute("SELECT setseed(0.2021)")
        cur.execute("""
            INSERT INTO orgs_member (org_id, name, gender, phone, id_number, category, mobile, youth, two_new, active)
            SELECT b.id, '党员' || g, 'M', '', '', 'ordinary', false, false, false, true
            FROM generate_series(0, %s - 1) g
            JOIN (SELECT id, row_number() OVER (ORDER BY path) - 1 AS k FROM orgs_org WHERE depth = 2) b
              ON b.k = g %% 500
        """, [members])
        cur.execute("""
            INSERT INTO quiz_standing (contest_id, member_id, org_id, org_path, period, days, answered, correct,
                                       time_ms, last_at)
            SELECT %s, m.id, m.org_id, o.path, 'season', d.days, d.days * 10,
                   floor(d.days * 10 * (0.4 + random() * 0.6))::int, d.days * (20000 + floor(random() * 200000))::int,
                   now() - (random() * interval '1 day')
            FROM orgs_member m JOIN orgs_org o ON o.id = m.org_id
            CROSS JOIN LATERAL (SELECT 1 + floor(random() * 120)::int AS days OFFSET 0) d
        """, [contest.pk])
        cur.execute("ANALYZE")
    User = get_user_model()
    office = User.objects.create(username="office")
    RoleBinding.objects.create(user=office, role=Role.OFFICE, org=root)
    member_user = User.objects.create(username="member")
    from dangshi.orgs.models import Member

    member = Member.objects.order_by("id")[members // 2]
    member.user = member_user
    member.save(update_fields=["user"])
    far = timezone.now() + timedelta(days=30)
    for user, key in ((office, OFFICE_KEY), (member_user, MEMBER_KEY)):
        ApiToken.objects.create(user=user, digest=hashlib.sha256(key.encode()).hexdigest(), prefix=key[:8],
                                expires_at=far)


def _rebuild() -> None:
    from dangshi.quiz.models import Contest
    from dangshi.quiz.services.ranking import snapshot_rebuild

    contest = Contest.objects.get()
    for run in (1, 2):
        started = time.monotonic()
        snap = snapshot_rebuild(contest=contest)
        print(f"snapshot rebuild #{run}: {time.monotonic() - started:.1f}s ({snap.rows.count()} rows)", flush=True)


def _django(call: str) -> None:
    code = f"import django; django.setup()\nfrom bench.quiz_leaderboard import {call.split('(')[0]}\n{call}\n"
    subprocess.run([sys.executable, "-c", code], env=env(), check=True, cwd=ROOT)


def _snapshot_age() -> float:
    return float(psql("SELECT extract(epoch FROM now() - max(built_at)) FROM quiz_snapshot"))


def measure(path: str, key: str, n: int) -> tuple[float, float]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    times = []
    for i in range(n + 5):
        started = time.perf_counter()
        conn.request("GET", path, headers={"Authorization": f"Bearer {key}"})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {body[:200]!r}")
        if i >= 5:  # the first few warm the worker
            times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run (skips the data)")
    args = parser.parse_args()
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    if not args.reuse:
        psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", db="postgres")
        psql(f"CREATE DATABASE {DB}", db="postgres")
    subprocess.run([str(BIN / "dangshi"), "migrate", "-v0"], env=env(), check=True, cwd=ROOT)
    if not args.reuse:
        _django(f"_populate({args.members})")
    standings = psql("SELECT count(*) FROM quiz_standing")
    print(f"data: {args.members} members, {standings} season aggregates ({time.monotonic() - started:.0f}s)",
          flush=True)
    _django("_rebuild()")
    server = subprocess.Popen([str(BIN / "granian"), "--interface", "wsgi", "--workers", "2", "--blocking-threads", "4",
                               "--host", "127.0.0.1", "--port", str(PORT), "--log-level", "error",
                               "dangshi.wsgi:application"], env=env(), cwd=ROOT)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.1)
        cases = [
            ("office, whole district", "/api/v1/quiz/leaderboard?period=season&limit=100", OFFICE_KEY),
            ("office, one street", "/api/v1/quiz/leaderboard?org=S03&period=season&limit=100", OFFICE_KEY),
            ("member, own branch + me", "/api/v1/quiz/leaderboard?period=season&limit=100", MEMBER_KEY),
            ("member, district + me", "/api/v1/quiz/leaderboard?org=BENCH&period=season&limit=100", MEMBER_KEY),
        ]
        print(f"snapshot age before the requests: {_snapshot_age():.0f}s", flush=True)
        for label, path, key in cases:
            median, p95 = measure(path, key, args.requests)
            print(f"top-100 API, {label:26s}: median {median:6.1f} ms  p95 {p95:6.1f} ms  ({args.requests} requests)")
        age = _snapshot_age()
        fresh = "every request read the snapshot" if age < 600 else "STALE: later requests ranked live"
        print(f"snapshot age after the requests: {age:.0f}s ({fresh})")
    finally:
        server.terminate()
        server.wait(10)
    print(f"machine: {os.cpu_count()} cores, load average {load_before:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end (1 min; others may be running)")
    print("targets: top-100 median < 20 ms; snapshot rebuild < 30 s")


if __name__ == "__main__":
    main()
