"""Benchmark: every member on the roster gets an account (issue 14).

Run (one command; builds its own PostgreSQL database each time):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_accounts .venv/bin/python bench/member_accounts.py

Targets: importing a roster of 11,543 new members including their accounts < 30 s on
PostgreSQL; the activation sheet for a 500-member 党委 as PDF < 10 s.
Baseline in the same run: the same roster imported without accounts (the import as it was
before issue 14), into a fresh copy of the same tree. The file is a real .xlsx read by the
console's importer; the sheet is drawn by the console's service.
"""

import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import ensure_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_accounts")

MEMBERS = 11_543


def main() -> None:
    ensure_database(fresh=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from dangshi.core.demo import DemoContext
    from dangshi.orgs import demo as orgs_demo
    from dangshi.orgs import roster, services
    from dangshi.orgs.models import Member, Org
    from dangshi.orgs.scope import Scope
    from tests.factories import valid_id_number
    from tests.orgs.roster_files import roster_xlsx

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        orgs_demo.build(DemoContext(today=date(2021, 6, 1), members=1, log=lambda *_: None))
    grassroots = list(Org.objects.filter(grassroots=True, kind="branch").order_by("path"))
    rng = random.Random(14)
    ids, rows = set(), []
    for i in range(MEMBERS):
        birth = date(1950, 1, 1) + timedelta(days=rng.randint(0, 20_000))
        order = i % 999
        number = valid_id_number(birth, order=order)
        while number in ids:
            order = rng.randint(0, 998)
            number = valid_id_number(birth, order=order)
        ids.add(number)
        rows.append([f"导入党员{i}", "男" if i % 2 else "女", birth.isoformat(), "2010-07-01", number,
                     f"13{rng.randint(0, 999_999_999):09d}", "普通党员", grassroots[i % len(grassroots)].code,
                     "否", "否", "否"])
    scope = Scope(user_id=0, is_superuser=True)

    def timed_import() -> float:
        started = time.monotonic()
        roster.roster_import(file=roster_xlsx(rows), scope=scope)
        return time.monotonic() - started

    with mock.patch.object(roster, "member_accounts_create", lambda **_: None):
        baseline = timed_import()
    Member.objects.filter(name__startswith="导入党员").delete()
    with_accounts = timed_import()
    assert Member.objects.filter(name__startswith="导入党员", user__isnull=False).count() == MEMBERS
    print(f"roster import of {MEMBERS:,} rows: {with_accounts:.1f} s with accounts; "
          f"{baseline:.1f} s without (baseline, same run)")

    # The smallest 党委 / 党工委 with at least 500 members in its subtree (the size).
    sizes = sorted((Member.objects.filter(org__path__startswith=o.path).count(), o.path, o)
                   for o in Org.objects.filter(kind__in=["committee", "working_committee"]))
    count, _path, committee = next((s for s in sizes if s[0] >= 500), sizes[-1])
    for fmt in ("csv", "pdf"):
        started = time.monotonic()
        body, _name = services.activation_sheet(scope=scope, org=committee, fmt=fmt)
        print(f"activation sheet, {count} members of {committee.name}, {fmt}: {time.monotonic() - started:.2f} s "
              f"({len(body) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
