"""The checks of scripts/topology_test.sh (run by it; `seed` before the servers start, `check` after).

Prints the figures docs/performance.md quotes; exits non-zero on any failed check.
"""

import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
PASSWORD = "Topology@2026"  # noqa: S105 (a throwaway user of a throwaway database)


def seed() -> None:
    import boto3
    import django

    s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT_URL"], region_name="us-east-1",
                      aws_access_key_id=os.environ["S3_ACCESS_KEY_ID"],
                      aws_secret_access_key=os.environ["S3_SECRET_ACCESS_KEY"])
    for _ in range(60):  # moto answers once it has loaded
        try:
            s3.create_bucket(Bucket=os.environ["S3_BUCKET"])
            break
        except Exception:  # noqa: BLE001 (not up yet)
            time.sleep(0.5)
    else:
        sys.exit("moto's S3 server did not answer")

    django.setup()
    from dangshi.accounts.models import User
    from dangshi.orgs.models import Member, Org, OrgKind, Role, RoleBinding
    from dangshi.redsites.models import CheckIn, Site, SiteKind

    root = Org.objects.create(code="ROOT", name="测试区委", kind=OrgKind.DISTRICT, path="0001", depth=0)
    branch = Org.objects.create(code="BR1", name="第一支部", kind=OrgKind.BRANCH, parent=root, path="00010001", depth=1)
    office = User.objects.create_user("office", password=PASSWORD, is_staff=True)
    RoleBinding.objects.create(user=office, role=Role.OFFICE, org=root)
    # Figures for the week the check's briefing covers (2026-W48): a briefing of an empty week is refused.
    site = Site.objects.create(code="S1", name="测试纪念馆", kind=SiteKind.MEMORIAL, lat=30.6, lng=114.3, org=branch)
    member = Member.objects.create(org=branch, name="测试党员", gender="M")
    CheckIn.objects.create(site=site, member=member, org=branch, day=date(2026, 11, 25))


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def check() -> None:
    import requests

    nginx = f"http://127.0.0.1:{os.environ['NGINX_PORT']}"
    a = f"http://127.0.0.1:{os.environ['A_PORT']}"
    b = f"http://127.0.0.1:{os.environ['B_PORT']}"
    work = Path(os.environ["TOPOLOGY_WORK"])
    failures = []

    def expect(ok: bool, what: str) -> None:
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            failures.append(what)

    token = requests.post(f"{nginx}/api/v1/auth/token", json={"username": "office", "password": PASSWORD},
                          timeout=30).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}

    # A write through A, read through B.
    task = requests.post(f"{a}/api/v1/supervision/tasks/", headers=auth, timeout=30, json={
        "org": "ROOT", "title": "写在甲服务器", "starts_on": "2026-12-01", "due_on": "2026-12-31"})
    expect(task.status_code == 201, f"write on A: {task.status_code}")
    listed = requests.get(f"{b}/api/v1/supervision/tasks/", headers=auth, timeout=30).json()
    expect(any(t["id"] == task.json()["id"] for t in listed), "the write on A is read on B")

    # A file written through A (the briefing .docx, into S3), served through B to a session.
    made = requests.post(f"{a}/api/v1/reports/briefings/", headers=auth, json={"org": "ROOT", "period": "2026-W48"},
                         timeout=300)
    expect(made.status_code == 201, f"briefing generated on A: {made.status_code}")
    browser = requests.Session()
    browser.get(f"{b}/accounts/login/", timeout=30)
    login = browser.post(f"{b}/accounts/login/", data={
        "username": "office", "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": f"{b}/accounts/login/"}, timeout=30, allow_redirects=False)
    expect(login.status_code == 302, f"login on B: {login.status_code}")
    download = browser.get(f"{b}/reports/console/briefings/{made.json()['id']}.docx", timeout=30, allow_redirects=False)
    signed = download.headers.get("Location", "")
    expect(download.status_code == 302 and "X-Amz-Signature=" in signed, "B redirects to a signed S3 URL")
    body = requests.get(signed, timeout=30).content if signed else b""
    expect(body[:2] == b"PK", f"the file A wrote is served ({len(body):,} bytes, a .docx)")

    # A bounded load run through nginx: the dashboard API, read from the replica.
    ab_args = ["/usr/bin/ab", "-q", "-n", "2000", "-c", "16", "-k", "-H", f"Authorization: Bearer {token}",
               f"{nginx}/api/v1/reports/dashboard"]
    ab = subprocess.run(ab_args, capture_output=True, text=True, timeout=600)  # noqa: S603 (our own arguments)
    out = ab.stdout
    if "99%" not in out:
        sys.exit(f"ab did not finish: {ab.returncode}\n{out}\n{ab.stderr}")
    complete = int(re.search(r"Complete requests:\s+(\d+)", out).group(1))
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx responses:\s+(\d+)", out)) else 0
    p50 = int(re.search(r"\s50%\s+(\d+)", out).group(1))
    p99 = int(re.search(r"\s99%\s+(\d+)", out).group(1))
    rate = re.search(r"Requests per second:\s+([\d.]+)", out).group(1)
    print(f"load: ab -n 2000 -c 16 GET /api/v1/reports/dashboard through nginx: {complete} requests, "
          f"{failed} failed, {non2xx} non-2xx, {rate}/s, p50 {p50} ms, p99 {p99} ms", flush=True)
    expect(complete == 2000 and failed == 0 and non2xx == 0, "the load run has 0 errors")

    # Writes through nginx while app server A is killed: every accepted write is in the database.
    accepted, refused, lock = [], [], threading.Lock()

    def write(n: int) -> None:
        try:
            r = requests.post(f"{nginx}/api/v1/supervision/tasks/", headers=auth, timeout=60, json={
                "org": "ROOT", "title": f"压测写入{n}", "starts_on": "2026-12-01", "due_on": "2026-12-31"})
            with lock:
                (accepted if r.status_code == 201 else refused).append(r.json()["id"] if r.status_code == 201 else r.status_code)
        except requests.RequestException as exc:
            with lock:
                refused.append(type(exc).__name__)

    a_pid = int((work / f"app-{os.environ['A_PORT']}.pid").read_text())
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(write, n) for n in range(400)]
        while len(accepted) + len(refused) < 100:
            time.sleep(0.05)
        for pid in [*_children(a_pid), a_pid]:
            os.kill(pid, 9)
        killed_at = len(accepted) + len(refused)
        for f in futures:
            f.result()
    import django

    django.setup()
    from dangshi.supervision.models import Task

    stored = set(Task.objects.filter(title__startswith="压测写入").values_list("id", flat=True))
    lost = [i for i in accepted if i not in stored]
    print(f"kill: 400 writes through nginx, app server A killed after {killed_at}: {len(accepted)} accepted, "
          f"{len(refused)} refused {sorted(set(map(str, refused)))}, {len(stored)} stored, "
          f"{len(lost)} accepted writes lost", flush=True)
    expect(not lost and len(accepted) >= 300, "no accepted write is lost when A dies")
    healthz = requests.get(f"{nginx}/healthz", timeout=30).json()
    print(f"healthz through nginx after the kill: {healthz['status']} "
          f"(worker {healthz['checks']['worker']}, replica {healthz['checks'].get('replica')})", flush=True)
    expect(healthz["checks"]["database"]["ok"] and healthz["checks"]["cache"]["ok"], "B still answers /healthz")
    if failures:
        sys.exit(f"topology: {len(failures)} check(s) failed: {failures}")
    print("topology: every check passed")


if __name__ == "__main__":
    {"seed": seed, "check": check}[sys.argv[1]]()
