"""Daily-quiz submissions under concurrent load, against a bare one-INSERT endpoint, same run.

    .venv/bin/python bench/quiz_submit.py [--members 30000] [--seconds 15] [--connections 32] [--threads 4]
    .venv/bin/python bench/quiz_submit.py --profile 300     # in-process: queries and CPU per submit

PostgreSQL (database bench_quiz, created afresh and analysed), granian (WSGI, 2 workers: the
machine has 2 cores; 4 blocking threads each, as `make run` serves; `--threads` to compare) on
port 8101, wrk (1 thread, a Lua script giving each request its own member's bearer token and
answers) as the load generator on the same machine. Every member's attempt is served
beforehand (the clock started, and the token used, as `GET /api/v1/quiz/daily` does), so what
is measured is POST /api/v1/quiz/daily/submit: authentication, grading, the compare-and-set
that makes it count once, the items, the month and season aggregates, the wrong-answer book,
the audit event and learning's points (with their own audit event), in one transaction. The
bare endpoint is a tiny WSGI app in this file doing one INSERT per request through psycopg,
served by the same granian with the same flags. Afterwards the accepted submissions are
counted in the database and compared with wrk's 200s.

`--profile N` submits N more attempts of the existing bench_quiz database (built first if it
has too few open attempts) in this process through Django's test client (the whole middleware
stack and ninja, no HTTP server) and prints the statements of one submission, the wall and CPU
time per submission, and the functions that take the CPU (cProfile).
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB = "bench_quiz"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = 8101
WORK = Path(tempfile.gettempdir())
REQUESTS = WORK / "bench_quiz_requests.tsv"
GRANIAN = [str(BIN / "granian"), "--interface", "wsgi", "--workers", "2",
           "--host", "127.0.0.1", "--port", str(PORT), "--log-level", "error"]
LUA = r"""
local lines = {}
local n, step = 0, 1
function setup(thread)
  thread:set("offset", n); n = n + 1
end
function init(args)
  for line in io.lines("REQUESTS") do lines[#lines + 1] = line end
  i = offset or 0
end
function request()
  i = i + 1
  local line = lines[(i - 1) % #lines + 1]
  local tab = line:find("\t")
  return wrk.format("POST", nil, {["Authorization"] = "Bearer " .. line:sub(1, tab - 1),
                                  ["Content-Type"] = "application/json"}, line:sub(tab + 1))
end
"""


def env():
    return dict(os.environ, DATABASE_URL=URL, PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="dangshi.settings")


def psql(sql: str, db: str = DB) -> str:
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAc", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


# -- the bare endpoint ----------------------------------------------------------------

_local = threading.local()


def bare_app(environ, start_response):
    """One INSERT per POST, autocommit, one persistent connection per worker thread (as Django's)."""
    import psycopg

    if environ["REQUEST_METHOD"] != "POST":  # warm-up and health checks write nothing
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]
    if getattr(_local, "conn", None) is None:
        _local.conn = psycopg.connect(URL.replace("postgres://", "postgresql://"), autocommit=True)
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    with _local.conn.cursor() as cur:
        cur.execute("INSERT INTO bench_bare (body) VALUES (%s) RETURNING id", [body.decode()])
        row_id = cur.fetchone()[0]
    out = json.dumps({"id": row_id}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
    return [out]


# -- data -------------------------------------------------------------------------------


def build(members: int) -> None:
    """Fresh database: a district of 60 branches, `members` members with users and bearer
    tokens, the starter bank, today's contest and every member's attempt already served."""
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", db="postgres")
    psql(f"CREATE DATABASE {DB}", db="postgres")
    subprocess.run([str(BIN / "dangshi"), "migrate", "-v0"], env=env(), check=True, cwd=ROOT)
    psql("CREATE TABLE bench_bare (id bigserial PRIMARY KEY, body text, at timestamptz DEFAULT now())")
    code = f"""
import django; django.setup()
from bench.quiz_submit import _populate
_populate({members})
"""
    subprocess.run([sys.executable, "-c", code], env=env(), check=True, cwd=ROOT)
    # Statistics, as a database in service has them (autovacuum analyses within a minute or so of
    # such a load). Without them the planner took the attempt's (contest, day) index and filtered
    # 30,000 rows by member: 8.7 of a submit's 24.5 ms in process, instead of 0.14 ms.
    psql("ANALYZE")


def _populate(members: int) -> None:
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from dangshi.accounts.models import ApiToken
    from dangshi.orgs.models import Campaign, Member, OrgKind
    from dangshi.quiz.models import Attempt, AttemptItem, Question
    from dangshi.quiz.services import contest_create
    from dangshi.quiz.services.bank import starter_load
    from tests import factories as f

    root = f.org(None, "中共压测区委员会", OrgKind.DISTRICT, code="BENCH", grassroots=False)
    branches = [f.org(root, f"压测第{i}党支部", code=f"B{i:03d}") for i in range(60)]
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"m{i:07d}", password=make_password(None)) for i in range(members)],
                                     batch_size=5000)
    people = Member.objects.bulk_create(
        [Member(org=branches[i % 60], user=u, name=f"党员{i}", gender="M") for i, u in enumerate(users)],
        batch_size=5000)
    now = timezone.now()
    far = now + timedelta(days=30)
    # Used just now: the member fetched today's questions with it (which started the attempt).
    ApiToken.objects.bulk_create(
        [ApiToken(user=u, digest=hashlib.sha256(f"benchkey{i:07d}".encode()).hexdigest(), prefix="benchkey",
                  expires_at=far, last_used_at=now) for i, u in enumerate(users)], batch_size=5000)
    starter_load()
    today = timezone.localdate()
    campaign = Campaign.objects.create(name="压测", root=root, starts_on=today, ends_on=today)
    contest = contest_create(campaign=campaign, org=root, title="每日答题", starts_on=today, ends_on=today,
                             seconds_per_question=600)
    pool = list(Question.objects.values_list("pk", "difficulty", "current_id", "type"))
    rng = random.Random(2021)
    lines = []
    for start in range(0, members, 2000):
        chunk = people[start:start + 2000]
        attempts = Attempt.objects.bulk_create(
            [Attempt(contest=contest, member=m, org_id=m.org_id, day=today, started_at=now, total=10)
             for m in chunk])
        items = []
        for attempt in attempts:
            drawn = rng.sample(pool, 10)  # the service's draw costs two queries a member: too slow for setup
            answers = {}
            for position, (qid, _difficulty, vid, qtype) in enumerate(drawn):
                order = "ABCD" if qtype in ("single", "multiple") else ""
                items.append(AttemptItem(attempt=attempt, question_id=qid, version_id=vid, position=position,
                                         order=order, served_at=now))
                answers[str(qid)] = {"single": ["A"], "multiple": ["A", "C"], "true_false": ["对"]}.get(qtype, "答案")
            lines.append(f"benchkey{len(lines):07d}\t" + json.dumps({"answers": answers}, ensure_ascii=False))
        AttemptItem.objects.bulk_create(items, batch_size=5000)
    REQUESTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- load -------------------------------------------------------------------------------


def wait_up(path: str = "/healthz"):
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except Exception:  # noqa: BLE001 - not listening yet
            time.sleep(0.1)
    raise SystemExit("server did not come up")


def load(target: str, app: str, seconds: int, connections: int, lua: Path, warm: str, threads: int) -> dict:
    proc = subprocess.Popen([*GRANIAN, "--blocking-threads", str(threads), app], env=env(), cwd=ROOT)
    try:
        wait_up(warm)
        url = f"http://127.0.0.1:{PORT}{target}"
        # Warm both workers with GETs that write nothing (imports, connections), then measure.
        subprocess.run(["wrk", "-t1", f"-c{connections}", "-d2s", f"http://127.0.0.1:{PORT}{warm}"], check=True,
                       capture_output=True, timeout=60)
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(lua), url],
                             check=True, capture_output=True, text=True, timeout=seconds + 60).stdout
    finally:
        proc.terminate()
        proc.wait(10)
    total = int(re.search(r"(\d+) requests in", out)[1])
    non2xx = int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    pct = dict(re.findall(r"\s+(50|75|90|99)%\s+([\d.]+\w+)", out))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]), "p50": pct.get("50"), "p99": pct.get("99"),
            "answered": total, "non2xx": non2xx, "ok": total - non2xx}


def _open_attempts() -> int:
    try:
        return int(psql("SELECT count(*) FROM quiz_attempt WHERE submitted_at IS NULL"))
    except subprocess.CalledProcessError:  # no database yet
        return 0


def _profile(n: int) -> None:
    """In this process: N submissions through Django's test client (middleware, ninja, the
    service), timed and profiled; one of them with its statements listed."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    lines = REQUESTS.read_text(encoding="utf-8").splitlines()
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT u.username FROM quiz_attempt a JOIN orgs_member m ON m.id = a.member_id
            JOIN accounts_user u ON u.id = m.user_id WHERE a.submitted_at IS NULL ORDER BY u.username LIMIT %s
        """, [n + 100])
        todo = [int(name[1:]) for (name,) in cursor.fetchall()]
    client = Client()

    def submit(i: int) -> None:
        key, body = lines[i].split("\t", 1)
        response = client.post("/api/v1/quiz/daily/submit", body, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {key}")
        if response.status_code != 200:
            raise SystemExit(f"submit: {response.status_code} {response.content[:200]!r}")

    for i in todo[:99]:  # warm: imports, the connection, the contest cache of every branch
        submit(i)
    with CaptureQueriesContext(connection) as queries:
        submit(todo[99])
    print(f"statements of one submission ({len(queries)}, BEGIN and COMMIT included):")
    for q in queries.captured_queries:
        print("   ", " ".join(q["sql"].split())[:110])
    todo = todo[100:]
    wall, cpu = time.perf_counter(), time.process_time()
    for i in todo[: n // 2]:
        submit(i)
    count = len(todo[: n // 2])
    wall, cpu = (time.perf_counter() - wall) / count * 1000, (time.process_time() - cpu) / count * 1000
    print(f"per submission, in process: {wall:.2f} ms wall, {cpu:.2f} ms CPU of this process "
          f"({count} submissions; load average {os.getloadavg()[0]:.1f})")
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for i in todo[n // 2: n]:
        submit(i)
    profile.disable()
    print("CPU by function (cProfile, which slows everything down about 3×):")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(r"dangshi|ninja/operation|psycopg/cursor", 25)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=30_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=4,
                        help="granian's blocking threads per worker, for both endpoints (as `make run` serves: 4)")
    parser.add_argument("--profile", type=int, metavar="N", help="profile N submissions in process instead")
    args = parser.parse_args()
    if shutil.which("wrk") is None and not args.profile:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    started = time.monotonic()
    if args.profile:
        if _open_attempts() < args.profile + 100:
            build(max(args.members, args.profile + 100))
        subprocess.run([sys.executable, "-c", "import django; django.setup()\n"
                        f"from bench.quiz_submit import _profile\n_profile({args.profile})"],
                       env=env(), check=True, cwd=ROOT)
        return
    load_before = os.getloadavg()[0]
    build(args.members)
    print(f"data: {args.members} members with attempts served ({time.monotonic() - started:.0f}s)")
    lua = WORK / "bench_quiz.lua"
    lua.write_text(LUA.replace("REQUESTS", str(REQUESTS)))
    bare = load("/", "bench.quiz_submit:bare_app", args.seconds, args.connections, lua, warm="/",
                threads=args.threads)
    bare_rows = int(psql("SELECT count(*) FROM bench_bare"))
    quiz = load("/api/v1/quiz/daily/submit", "dangshi.wsgi:application", args.seconds, args.connections, lua,
                warm="/healthz", threads=args.threads)
    accepted = int(psql("SELECT count(*) FROM quiz_attempt WHERE submitted_at IS NOT NULL"))
    seasons = int(psql("SELECT count(*) FROM quiz_standing WHERE period = 'season'"))
    points = int(psql("SELECT count(*) FROM learning_pointentry"))
    events = int(psql("SELECT count(*) FROM audit_auditevent WHERE action = 'quiz.attempt.finished'"))
    print(f"machine: {os.cpu_count()} cores, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
          "(1 min; others may be running)")
    print(f"wrk: 1 thread, {args.connections} connections, {args.seconds}s; granian WSGI 2 workers, "
          f"{args.threads} blocking thread(s) each")
    print(f"bare INSERT   : {bare['rps']:8.1f} req/s  p50 {bare['p50']}  p99 {bare['p99']}  "
          f"200s {bare['ok']}  rows {bare_rows}")
    print(f"quiz submit   : {quiz['rps']:8.1f} req/s  p50 {quiz['p50']}  p99 {quiz['p99']}  "
          f"200s {quiz['ok']}  non-2xx {quiz['non2xx']}")
    # A request still in flight when wrk stops is committed but not counted by wrk: the database
    # may hold up to one more per connection, never fewer than wrk's 200s.
    in_flight = accepted - quiz["ok"]
    verdict = "every 200 is in the database" if 0 <= in_flight <= args.connections else "MISMATCH"
    print(f"accepted in DB: {accepted} attempts submitted, {seasons} season aggregates, {events} audit events, "
          f"{points} point entries; wrk's 200s {quiz['ok']} ({verdict}; {in_flight} completed after wrk stopped)")
    if accepted != seasons or accepted != events or accepted != points:
        print("MISMATCH: every submitted attempt should have one season aggregate, audit event and point entry")
    if accepted >= args.members:
        print("note: every member submitted; later requests were 409 (raise --members for a longer run)")
    print(f"ratio quiz/bare: {quiz['rps'] / bare['rps']:.0%} (target ≥ 40%); target ≥ 800/s, p99 < 100 ms")


if __name__ == "__main__":
    main()
