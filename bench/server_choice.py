"""Which production server for the WSGI app: granian (WSGI), gunicorn (sync), granian (ASGI).

    .venv/bin/pip install gunicorn && .venv/bin/python bench/server_choice.py [--seconds 15]

Each server runs 2 workers (the machine has 2 cores) against PostgreSQL (database
bench_server, created afresh) and serves POST /bench/write: one audited INSERT
through the full middleware stack, the ORM and django-ninja. wrk drives it with 32
connections on 1 thread; the script prints requests/s and latency percentiles and
checks that the rows written match the requests answered 200.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB = "bench_server"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = 8109
LUA = 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = "{}"\n'

GRANIAN_WSGI = [str(BIN / "granian"), "--interface", "wsgi", "--workers", "2", "--host", "127.0.0.1", "--port",
                str(PORT), "--log-level", "error", "dangshi.wsgi:application"]
SERVERS = {
    "granian-wsgi": [*GRANIAN_WSGI, "--blocking-threads", "4"],  # as `make run` serves
    "granian-wsgi-1t": [*GRANIAN_WSGI, "--blocking-threads", "1"],
    "gunicorn-sync": [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{PORT}", "--log-level", "error",
                      "dangshi.wsgi:application"],
    "granian-asgi": [str(BIN / "granian"), "--interface", "asgi", "--workers", "2", "--host", "127.0.0.1",
                     "--port", str(PORT), "--log-level", "error", "django.core.asgi:get_asgi_application",
                     "--factory"],
}


def env():
    return dict(os.environ, DATABASE_URL=URL, DJANGO_SETTINGS_MODULE="bench.server_settings", PYTHONPATH=str(ROOT))


def psql(sql: str) -> str:
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-tAc", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def wait_up():
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return
        except Exception:
            time.sleep(0.1)
    raise SystemExit("server did not come up")


def run(name: str, seconds: int) -> dict:
    proc = subprocess.Popen(SERVERS[name], env=env(), cwd=ROOT)
    try:
        wait_up()
        lua = Path(tempfile.gettempdir()) / "bench_server_post.lua"
        lua.write_text(LUA)
        subprocess.run(["wrk", "-t1", "-c32", "-d3s", "-s", str(lua), f"http://127.0.0.1:{PORT}/bench/write"],
                       check=True, capture_output=True, timeout=60)  # warm-up
        before = int(psql("SELECT count(*) FROM audit_auditevent WHERE action = 'bench.write'"))
        out = subprocess.run(["wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", "-s", str(lua),
                              f"http://127.0.0.1:{PORT}/bench/write"], check=True, capture_output=True, text=True,
                             timeout=seconds + 60).stdout
        after = int(psql("SELECT count(*) FROM audit_auditevent WHERE action = 'bench.write'"))
    finally:
        proc.terminate()
        proc.wait(10)
    total = int(re.search(r"(\d+) requests in", out)[1])
    non2xx = int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    pct = dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", out))
    return {"server": name, "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]), "p50": pct.get("50"),
            "p99": pct.get("99"), "answered": total, "errors": non2xx, "rows": after - before}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--servers", default=",".join(SERVERS))
    args = parser.parse_args()
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run([str(BIN / "dangshi"), "migrate", "-v0"], env=env(), check=True, cwd=ROOT)
    print(f"{'server':15s} {'req/s':>8s} {'p50':>8s} {'p99':>8s} {'answered':>9s} {'non-2xx':>8s} {'rows':>7s}")
    for name in args.servers.split(","):
        try:
            r = run(name, args.seconds)
        except subprocess.TimeoutExpired:
            print(f"{name:15s} did not finish (timed out)", flush=True)
            continue
        print(f"{r['server']:15s} {r['rps']:8.0f} {r['p50']:>8s} {r['p99']:>8s} {r['answered']:9d} {r['errors']:8d} {r['rows']:7d}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
