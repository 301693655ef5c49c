"""`dangshi quiz-snapshots`: rebuild the season ranking snapshot of every open daily contest.

Nothing runs it by itself: schedule it every 5 minutes by cron or a systemd timer, on one
machine (docs/quiz.md). The season leaderboard reads a snapshot younger than ten minutes, and
ranks live from the per-member aggregates otherwise.
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from dangshi.quiz.models import Contest, ContestKind
from dangshi.quiz.services.ranking import snapshot_rebuild


class Command(BaseCommand):
    help = "Rebuild the season ranking snapshot of every open daily contest."

    def handle(self, *args, **options):
        today = timezone.localdate()
        for contest in Contest.objects.filter(kind=ContestKind.DAILY, starts_on__lte=today, ends_on__gte=today):
            if contest.snapshots.filter(frozen=True).exists():
                continue  # selection made: the frozen ranking stands
            started = time.monotonic()
            snapshot_rebuild(contest=contest, day=today)
            self.stdout.write(f"{contest.title}: {time.monotonic() - started:.1f}s")
