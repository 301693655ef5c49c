"""`dangshi schedule-briefings`: enqueue the week's work for the task worker.

Run by cron / a systemd timer every Monday at 06:00 (see docs/reports.md). It enqueues,
for the week just ended, the pre-aggregation of that week (and of the month, on the
first Monday of a month) and then one briefing per campaign root; the worker
(`dangshi db_worker`) runs them in order."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from dangshi.orgs.selectors import campaign_roots, org_roots
from dangshi.reports import periods
from dangshi.reports.tasks import briefing_task, rollup_task


class Command(BaseCommand):
    help = "为上一周(及上一月,如为本月第一个周一)排入预汇总与简报任务。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期计算(测试或补发用),如 2021-06-14")
        parser.add_argument("--current", action="store_true",
                            help="只排入本周(及本月)的预汇总,供 cron 每 15 分钟运行,使驾驶舱读预汇总数据")

    def handle(self, *args, today=None, **options):
        day = date.fromisoformat(today) if today else timezone.localdate()
        if options.get("current"):
            for kind in ("week", "month"):
                key = periods.period_of(kind, day).key
                rollup_task.enqueue(key)
                self.stdout.write(f"enqueued rollup {key}")
            return
        week = periods.period_of("week", day - timedelta(days=7))
        roots = {o.code for o in campaign_roots()} or {o.code for o in org_roots()}
        keys = [week.key]
        if day.day <= 7:
            keys.append(periods.period_of("month", day.replace(day=1) - timedelta(days=1)).key)
        for key in keys:
            rollup_task.enqueue(key)
            for code in sorted(roots):
                briefing_task.enqueue(code, key)
                self.stdout.write(f"enqueued briefing {code} {key}")
