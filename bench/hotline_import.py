"""A year of 12345 hotline requests: import time (first and idempotent second run) and KPI time.

    .venv/bin/python bench/hotline_import.py [--rows 205500] [--format csv|xlsx|both]

Runs against PostgreSQL (database bench_hotline, created afresh), as `dangshi import-requests`
would: the export file (.csv and/or .xlsx, generated here with the handling history of a
closed year: dispatch, sign, reply, callback, close) is parsed whole, checked, and written
with COPY in one transaction. The second import of the same file must add nothing. Then
the KPIs of every handling org for every month of the year are computed (org_kpis). Targets
(issue 5): import under 60 s, KPIs under 2 s.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "bench_hotline"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
sys.path.insert(0, str(ROOT / "src"))
OUT = Path(tempfile.gettempdir()) / "bench_hotline"
HEADERS = ["工单编号", "来电时间", "诉求人", "联系电话", "诉求类型", "诉求内容", "地址", "问题分类", "承办单位", "协办单位",
           "派单时间", "签收时间", "答复时间", "解决情况", "满意度", "办结时间"]
CATEGORIES = ["城市管理/市政设施/路灯", "城市管理/环境卫生/垃圾清运", "公用事业/供水/停水", "公用事业/供电/停电",
              "公用事业/燃气/漏气", "住房保障/物业管理/电梯", "社会保障/医保/报销", "交通运输/公交/线路",
              "市场监管/食品安全/餐饮", "劳动保障/劳资纠纷/欠薪", "生态环境/噪声/施工噪声", "教育/入学/学位"]
KINDS = ["咨询", "求助", "投诉", "举报", "建议"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def reset_database() -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run([str(ROOT / ".venv/bin/dangshi"), "migrate", "-v0"], check=True, env=os.environ)


def build_orgs():
    from dangshi.orgs.models import Org, OrgKind
    from dangshi.orgs.services import path_segment

    root = Org.objects.create(code="HX", name="中共红星区委员会", kind=OrgKind.DISTRICT, path=path_segment(1), depth=0)
    orgs = []
    for i in range(120):  # 6 streets' committees and the district's departments: the 承办单位
        orgs.append(Org(code=f"CB{i:03d}", name=f"承办单位{i:03d}", kind=OrgKind.COMMITTEE, parent=root,
                        path=root.path + path_segment(i + 1), depth=1))
    Org.objects.bulk_create(orgs)
    return root, [o.name for o in orgs]


def rows(n: int, org_names: list[str]):
    rng = random.Random(2021)
    start = datetime(2021, 1, 1, 0, 0)
    weights = [rng.uniform(0.2, 3) for _ in org_names]
    fmt = "%Y-%m-%d %H:%M:%S"
    for i in range(n):
        received = start + timedelta(seconds=int(i * 365 * 86400 / n) + rng.randint(0, 600))
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        phone = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
        kind = rng.choices(KINDS, weights=(30, 30, 25, 5, 10))[0]
        row = [f"GD2021{i:08d}", received.strftime(fmt), name, phone, kind, f"{rng.choice(CATEGORIES)}问题,请尽快处理",
               f"红星区{rng.randint(1, 300)}号", rng.choice(CATEGORIES), "", "", "", "", "", "", "", ""]
        if kind != "咨询" or rng.random() < 0.3:  # most consultations are answered on the phone
            row[8] = rng.choices(org_names, weights=weights)[0]
            dispatched = received + timedelta(minutes=rng.randint(5, 120))
            signed = dispatched + timedelta(hours=rng.choice((1, 2, 4, 8, 30)))
            replied = signed + timedelta(hours=rng.randint(4, 200))
            row[10:13] = [dispatched.strftime(fmt), signed.strftime(fmt), replied.strftime(fmt)]
            if rng.random() < 0.9:  # called back
                row[13] = rng.choices(["已解决", "部分解决", "未解决"], weights=(85, 10, 5))[0]
                row[14] = rng.choices(["满意", "基本满意", "不满意"], weights=(90, 7, 3))[0]
                row[15] = (replied + timedelta(days=2)).strftime(fmt)
        yield row


def write_csv(path: Path, n: int, org_names) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        w.writerows(rows(n, org_names))


def write_xlsx(path: Path, n: int, org_names) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADERS)
    for r in rows(n, org_names):
        ws.append(r)
    wb.save(path)


def run_import(path: Path, scope, root):
    """Wall-clock seconds; the CPU seconds of this process (reading, checking, formatting,
    encrypting) and of its PostgreSQL backend (COPY, indexes, constraint checks), which other
    work on a shared machine disturbs less than the wall clock; the result."""
    from dangshi.hotline.intake import requests_import

    started, cpu, server = time.perf_counter(), time.process_time(), server_cpu()
    with path.open("rb") as fh:
        result = requests_import(file=fh, filename=path.name, scope=scope, intake_org=root)
    return time.perf_counter() - started, time.process_time() - cpu, server_cpu() - server, result


def server_cpu() -> float:
    """CPU seconds the PostgreSQL backend serving this connection has used (same machine)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pid = c.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def truncate() -> None:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("TRUNCATE hotline_update, hotline_callback, hotline_coorg, hotline_extension, hotline_request, "
                  "audit_auditevent")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=205_500)
    parser.add_argument("--format", choices=("csv", "xlsx", "both"), default="both")
    args = parser.parse_args()
    reset_database()
    import django

    django.setup()
    from datetime import date

    from django.db import connection

    from dangshi.hotline.models import Request, Update
    from dangshi.hotline.selectors import org_kpis
    from dangshi.orgs.scope import Scope

    root, org_names = build_orgs()
    scope = Scope(user_id=0, is_superuser=True)
    OUT.mkdir(exist_ok=True)
    formats = ("csv", "xlsx") if args.format == "both" else (args.format,)
    print(f"PostgreSQL {connection.pg_version}, {os.cpu_count()} cores, {args.rows:,} rows")
    for fmt in formats:
        path = OUT / f"export-{args.rows}.{fmt}"
        started = time.perf_counter()
        (write_csv if fmt == "csv" else write_xlsx)(path, args.rows, org_names)
        print(f"[{fmt}] generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
        truncate()
        before = load()
        first, cpu, server, result = run_import(path, scope, root)
        print(f"[{fmt}] first import:  {first:6.1f} s (CPU: Python {cpu:5.1f} s, PostgreSQL {server:5.1f} s; "
              f"load {before} → {load()})  "
              f"rows={result.rows:,} created={result.created:,} skipped={result.skipped:,}  "
              f"requests={Request.objects.count():,} updates={Update.objects.count():,}")
        before = load()
        second, cpu, server, result = run_import(path, scope, root)
        print(f"[{fmt}] second import: {second:6.1f} s (CPU: Python {cpu:5.1f} s, PostgreSQL {server:5.1f} s; "
              f"load {before} → {load()})  "
              f"created={result.created:,} skipped={result.skipped:,} requests={Request.objects.count():,}")
        assert result.created == 0 and Request.objects.count() == args.rows
    with connection.cursor() as c:
        c.execute("ANALYZE")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        kpis = org_kpis(root_path=root.path, start=date(2021, 1, 1), end=date(2021, 12, 31))
        timings.append(time.perf_counter() - started)
    satisfied = sum(k.satisfied for k in kpis) / max(1, sum(k.callbacks for k in kpis))
    print(f"KPIs for {len({k.org_id for k in kpis})} orgs × {len({k.month for k in kpis})} months "
          f"({len(kpis)} rows): best {min(timings):.2f} s, runs {', '.join(f'{t:.2f}' for t in timings)} s; "
          f"满意率 over the year {satisfied:.2%}")


if __name__ == "__main__":
    main()
