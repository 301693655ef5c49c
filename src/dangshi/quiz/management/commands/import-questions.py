"""`dangshi import-questions FILE.xlsx`: load a 题库 file whole, or nothing with a row report.

(Django finds a command by its module's file name; importlib loads a hyphenated name fine.)
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangshi.core.tabular import ImportFailed
from dangshi.quiz.services.bank import questions_import


class Command(BaseCommand):
    help = "Import questions from a 题库 .xlsx/.csv (题型, 题干, 选项A…选项H, 答案, 解析, 分类, 难度): all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        try:
            with file.open("rb") as handle:
                count = questions_import(file=handle, filename=file.name)
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(str(error))
            raise CommandError(str(failure.message)) from None
        self.stdout.write(self.style.SUCCESS(f"imported {count} questions"))
