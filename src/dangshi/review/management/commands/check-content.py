"""dangshi check-content: check the shipped starter content (see review/checks.py); exit 1 on any problem."""

from django.core.management.base import BaseCommand, CommandError

from dangshi.review.checks import check, load


class Command(BaseCommand):
    help = "Check the starter content: sources, dates, answers, fill-in variants; print the counts."

    def add_arguments(self, parser):
        parser.add_argument("--missing-days", action="store_true", help="list the days of the year with no entry")

    def handle(self, *args, **options):
        report = check(load())
        c = report.counts
        self.stdout.write(
            f"items {c['items']} · 已核 {c['verified']} · 未核 {c['unverified']} · withheld {c['withheld']}\n"
            f"党史上的今天 {c['today']} entries, days covered {c['days_covered']}/366 "
            f"(with a 已核 entry {c['days_verified']}) · 党史百问 {c['qa']} · 党史小故事 {c['story']} · "
            f"天天读 {c['daily']} · quiz questions {c['quiz']}")
        if options["missing_days"]:
            self.stdout.write("days without an entry: " + "、".join(report.missing_days))
        if report.errors:
            for line in report.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(report.errors)} problems in the starter content")
        self.stdout.write("check-content: no problems")
