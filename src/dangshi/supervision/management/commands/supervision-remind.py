"""`dangshi supervision-remind [--today 2021-06-07]`: record today's reminders for tasks due
within 3 days or overdue (run daily by cron / a systemd timer; a repeat run is a no-op)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from dangshi.orgs.selectors import org_roots
from dangshi.supervision.services import task_remind


class Command(BaseCommand):
    help = "记录临期、逾期任务的提醒(每天运行一次)。"

    def add_arguments(self, parser):
        parser.add_argument("--today")

    def handle(self, *args, today=None, **options):
        day = date.fromisoformat(today) if today else timezone.localdate()
        total = 0
        for root in org_roots():
            total += len(task_remind(org=root, today=day))
        self.stdout.write(f"{day}: {total} reminders")
