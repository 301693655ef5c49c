"""Benchmark: the member feed and 五个一 for the whole district (issue 4).

Run (one command; generates its own data on first run, reuses it afterwards):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_learning .venv/bin/python bench/learning_feed.py

Add `--fresh` to drop the benchmark database and regenerate. Targets:
  - the member feed for a member of a district of 11,543 members with 5,000 published
    items answers in < 50 ms median, with a bounded number of queries;
  - 五个一 compliance for the whole district in < 1 s on PostgreSQL.
Data: the demo district (orgs.demo: 534 grass-roots orgs, 11,543 members), 5,000 published
items over the nine columns with mixed audiences, their search index, and one month of
五个一 activities (~25 per member) written with COPY. Requests go through the full Django
stack with django.test.Client in this process (no socket).
"""

import json
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import copy_rows, ensure_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_learning")

ITEMS = 5_000
MONTH = date(2021, 5, 1)
NOW = datetime(2021, 6, 1, 9, 0)


def generate() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from dangshi.core.demo import DemoContext
    from dangshi.learning.models import Item, ItemStatus, LearningColumn
    from dangshi.learning.textindex import item_grams, plain_text
    from dangshi.orgs import demo as orgs_demo
    from dangshi.orgs.models import Member, Org

    rng = random.Random(4)
    tz = timezone.get_current_timezone()
    started = time.monotonic()
    with transaction.atomic():
        orgs_demo.build(DemoContext(today=date(2021, 6, 1), log=lambda *_: None))
    print(f"district: {Member.objects.count()} members in {time.monotonic() - started:.1f}s")

    data = Path(__file__).resolve().parents[1] / "src/dangshi/learning/data"
    texts = [e["body"] for e in json.loads((data / "today_in_history.json").read_text("utf-8"))["entries"]]
    texts += [s["body"] for s in json.loads((data / "stories.json").read_text("utf-8"))["items"]]
    columns = list(LearningColumn.objects.all())
    streets = list(Org.objects.filter(depth=1).values_list("path", flat=True))
    root = Org.objects.get(depth=0)
    items = []
    for n in range(ITEMS):
        column = rng.choice(columns)
        body = "".join(f"<p>{rng.choice(texts)}</p>" for _ in range(rng.randint(1, 3)))
        audience = rng.random()
        item = Item(column=column, org=root, title=f"{column.name}第{n + 1}篇", body=body, plain=plain_text(body),
                    status=ItemStatus.PUBLISHED,
                    publish_at=datetime.combine(NOW.date() - timedelta(days=rng.randint(0, 300)), dtime(8), tz),
                    for_all=audience >= 0.25, for_mobile=audience < 0.1, for_youth=0.1 <= audience < 0.2,
                    for_leaders=0.2 <= audience < 0.25, audience_path=rng.choice(streets) if audience > 0.95 else "")
        if column.kind == "today":
            item.month, item.day, item.event_year = rng.randint(1, 12), rng.randint(1, 28), rng.randint(1921, 2021)
        items.append(item)
    with transaction.atomic():
        Item.objects.bulk_create(items, batch_size=1000)
        with connection.cursor() as cursor:
            copy_rows(cursor.cursor, "learning_itemgram", ["item_id", "gram"],
                  ((i.pk, g) for i in items for g in item_grams(i)))
            members = list(Member.objects.values_list("pk", flat=True))
            days = [MONTH + timedelta(days=d) for d in range(31)]

            def activities():
                for m in members:
                    keen = rng.random()
                    for d in days:
                        if rng.random() < 0.5 + keen / 2:
                            yield (m, "video", d)
                        if d.weekday() == 2 and rng.random() < 0.6 + keen / 3:
                            yield (m, "song", d)
                        if d.day in (4, 14, 24) and rng.random() < 0.7 + keen / 4:
                            yield (m, "film", d)
                    if rng.random() < 0.8:
                        yield (m, "book", rng.choice(days))

            copy_rows(cursor.cursor, "learning_activity", ["member_id", "kind", "day"], activities())
    # VACUUM (not allowed in a transaction) sets the visibility map for index-only scans.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"data generated in {time.monotonic() - started:.1f}s")


def _median_ms(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def measure() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dangshi.learning import selectors
    from dangshi.learning.models import Activity, Item, ItemGram
    from dangshi.learning.selectors import fiveones
    from dangshi.orgs.models import Member, Org
    from dangshi.orgs.scope import scope_for

    now = timezone.make_aware(NOW)
    member = Member.objects.select_related("org").filter(active=True, mobile=True, youth=True).first() or \
        Member.objects.select_related("org").filter(active=True).first()
    user, _ = get_user_model().objects.get_or_create(username="bench_member")
    Member.objects.filter(user=user).exclude(pk=member.pk).update(user=None)
    member.user = user
    member.save(update_fields=["user"])
    office, _ = get_user_model().objects.get_or_create(username="bench_office", defaults={"is_superuser": True})
    root = Org.objects.get(depth=0)
    print(f"data: {Member.objects.count()} members, {Item.objects.count()} items, "
          f"{ItemGram.objects.count()} index rows, {Activity.objects.count()} activities")

    with CaptureQueriesContext(connection) as queries:
        feed = selectors.feed_today(member=member, now=now)
    print(f"feed_today: {len(feed['latest'])} latest + {len(feed['on_this_day'])} on this day, "
          f"{len(queries)} queries")
    med, worst = _median_ms(lambda: selectors.feed_today(member=member, now=now), 200)
    print(f"feed_today selector: median {med:.1f} ms (max {worst:.1f}) over 200 runs")

    client = Client()
    client.force_login(user)
    assert client.get("/api/v1/learning/today").status_code == 200
    # Count with an execute wrapper: the test client's request_started resets connection.queries.
    calls = []
    with connection.execute_wrapper(lambda execute, sql, params, many, context: calls.append(sql) or
                                    execute(sql, params, many, context)):
        client.get("/api/v1/learning/today")
    med, worst = _median_ms(lambda: client.get("/api/v1/learning/today"), 200)
    print(f"GET /api/v1/learning/today: median {med:.1f} ms (max {worst:.1f}) over 200 runs, "
          f"{len(calls)} queries per request (session, user, scope, member, feed)")
    med, worst = _median_ms(lambda: client.get("/learning/"), 100)
    print(f"GET /learning/ (H5 page, incl. this week's 五个一): median {med:.1f} ms (max {worst:.1f}) over 100 runs")

    scope = scope_for(user)
    med, worst = _median_ms(lambda: list(selectors.item_list(scope=scope, q="遵义", now=now)[:20]), 50)
    hits = selectors.item_list(scope=scope, q="遵义", now=now).count()
    print(f"search '遵义' (first page of {hits} hits): median {med:.1f} ms (max {worst:.1f}) over 50 runs")

    period = fiveones.period_parse("month:2021-05")
    office_scope = scope_for(office)
    rows = fiveones.org_rates(scope=office_scope, org=root, period=period)
    print(f"五个一 May 2021, whole district: {rows[0]['compliant']}/{rows[0]['assessed']} compliant "
          f"({rows[0]['rate']}%), {len(rows) - 1} child orgs")
    med, worst = _median_ms(lambda: fiveones.org_rates(scope=office_scope, org=root, period=period), 7)
    print(f"五个一 whole district (month): median {med:.0f} ms (max {worst:.0f}) over 7 runs")
    week = fiveones.period_parse("week:2021-05-12")
    med, worst = _median_ms(lambda: fiveones.org_rates(scope=office_scope, org=root, period=week), 7)
    print(f"五个一 whole district (week): median {med:.0f} ms (max {worst:.0f}) over 7 runs")


def main() -> None:
    fresh = "--fresh" in sys.argv
    ensure_database(fresh)
    import django

    django.setup()
    from django.core.management import call_command

    from dangshi.orgs.models import Org

    call_command("migrate", verbosity=0)
    if not Org.objects.exists():
        generate()
    measure()


if __name__ == "__main__":
    main()
