"""`dangshi briefing --week 2021-W23 [--org CODE]` (or `--month 2021-06`, `--quarter 2021-Q2`): write a
briefing (a draft: the office edits and issues it in the console) now."""

from django.core.management.base import BaseCommand, CommandError

from dangshi.errors import DomainError
from dangshi.orgs.selectors import org_by_code, org_root
from dangshi.reports import periods, services


class Command(BaseCommand):
    help = "生成党史学习教育简报(周)或月度小结(.docx),编入该组织的期号序列。"

    def add_arguments(self, parser):
        when = parser.add_mutually_exclusive_group(required=True)
        when.add_argument("--week", help="ISO 周,如 2021-W23")
        when.add_argument("--month", help="月份,如 2021-06")
        when.add_argument("--quarter", help="季度(季季评小结),如 2021-Q2")
        parser.add_argument("--org", help="组织编码(默认:根组织)")

    def handle(self, *args, week=None, month=None, quarter=None, org=None, **options):
        try:
            period = periods.week(week) if week else periods.quarter(quarter) if quarter else periods.month(month)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        target = org_by_code(org) if org else org_root()
        if target is None:
            raise CommandError(f"组织不存在:{org}" if org else "还没有组织。")
        try:
            briefing = services.briefing_generate(org=target, period=period)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"{target.name} {period.key} 第 {briefing.number} 期 → {briefing.file.path}")
