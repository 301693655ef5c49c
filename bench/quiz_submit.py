"""Daily-quiz submissions under concurrent load, against a bare one-INSERT endpoint, same run.

    .venv/bin/python bench/quiz_submit.py [--members 15000] [--seconds 20] [--connections 32]

PostgreSQL (database bench_quiz, created afresh), granian (WSGI, 2 workers: the machine has
2 cores) on port 8101, wrk (1 thread, a Lua script giving each request its own member's bearer
token and answers) as the load generator on the same machine. Every member's attempt is served
beforehand (the clock started), so what is measured is POST /api/v1/quiz/daily/submit: grading,
the compare-and-set that makes it count once, the month and season aggregates, the wrong-answer
book and the audit event, in one transaction. The bare endpoint is a tiny WSGI app in this file
doing one INSERT per request through psycopg, served by the same granian with the same flags.
Afterwards the accepted submissions are counted in the database and compared with wrk's 200s.
"""

import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
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
GRANIAN = [str(BIN / "granian"), "--interface", "wsgi", "--workers", "2", "--blocking-threads", "1",
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

_conn = None


def bare_app(environ, start_response):
    """One INSERT per POST, autocommit, one persistent connection per worker."""
    global _conn
    import psycopg

    if environ["REQUEST_METHOD"] != "POST":  # warm-up and health checks write nothing
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]
    if _conn is None:
        _conn = psycopg.connect(URL.replace("postgres://", "postgresql://"), autocommit=True)
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    with _conn.cursor() as cur:
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


def _populate(members: int) -> None:
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from dangshi.accounts.models import ApiToken
    from dangshi.orgs.models import Campaign, Member, OrgKind
    from dangshi.quiz.bank import starter_load
    from dangshi.quiz.models import Attempt, AttemptItem, Question
    from dangshi.quiz.services import contest_create
    from tests import factories as f

    root = f.org(None, "中共压测区委员会", OrgKind.DISTRICT, code="BENCH", grassroots=False)
    branches = [f.org(root, f"压测第{i}党支部", code=f"B{i:03d}") for i in range(60)]
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"m{i:07d}", password=make_password(None)) for i in range(members)],
                                     batch_size=5000)
    people = Member.objects.bulk_create(
        [Member(org=branches[i % 60], user=u, name=f"党员{i}", gender="M") for i, u in enumerate(users)],
        batch_size=5000)
    far = timezone.now() + timedelta(days=30)
    ApiToken.objects.bulk_create(
        [ApiToken(user=u, digest=hashlib.sha256(f"benchkey{i:07d}".encode()).hexdigest(), prefix="benchkey",
                  expires_at=far) for i, u in enumerate(users)], batch_size=5000)
    starter_load()
    today = timezone.localdate()
    campaign = Campaign.objects.create(name="压测", root=root, starts_on=today, ends_on=today)
    contest = contest_create(campaign=campaign, org=root, title="每日答题", starts_on=today, ends_on=today,
                             seconds_per_question=600)
    now = timezone.now()
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


def load(target: str, app: str, seconds: int, connections: int, lua: Path, warm: str) -> dict:
    proc = subprocess.Popen([*GRANIAN, app], env=env(), cwd=ROOT)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=15_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    started = time.monotonic()
    build(args.members)
    print(f"data: {args.members} members with attempts served ({time.monotonic() - started:.0f}s)")
    lua = WORK / "bench_quiz.lua"
    lua.write_text(LUA.replace("REQUESTS", str(REQUESTS)))
    bare = load("/", "bench.quiz_submit:bare_app", args.seconds, args.connections, lua, warm="/")
    bare_rows = int(psql("SELECT count(*) FROM bench_bare"))
    quiz = load("/api/v1/quiz/daily/submit", "dangshi.wsgi:application", args.seconds, args.connections, lua,
                warm="/healthz")
    accepted = int(psql("SELECT count(*) FROM quiz_attempt WHERE submitted_at IS NOT NULL"))
    seasons = int(psql("SELECT count(*) FROM quiz_standing WHERE period = 'season'"))
    cores = os.cpu_count()
    print(f"machine: {cores} cores, load average {os.getloadavg()[0]:.1f} (others may be running)")
    print(f"wrk: 1 thread, {args.connections} connections, {args.seconds}s; granian WSGI 2 workers")
    print(f"bare INSERT   : {bare['rps']:8.1f} req/s  p50 {bare['p50']}  p99 {bare['p99']}  "
          f"200s {bare['ok']}  rows {bare_rows}")
    print(f"quiz submit   : {quiz['rps']:8.1f} req/s  p50 {quiz['p50']}  p99 {quiz['p99']}  "
          f"200s {quiz['ok']}  non-2xx {quiz['non2xx']}")
    print(f"accepted in DB: {accepted} attempts submitted, {seasons} season aggregates "
          f"({'matches' if accepted == quiz['ok'] == seasons else 'MISMATCH with'} wrk's 200s)")
    if quiz["ok"] >= args.members:
        print("note: every member submitted; later requests were 409 (raise --members for a longer run)")
    print(f"ratio quiz/bare: {quiz['rps'] / bare['rps']:.0%} (target ≥ 40%); target ≥ 800/s, p99 < 100 ms")


if __name__ == "__main__":
    main()
