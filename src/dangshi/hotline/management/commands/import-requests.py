import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangshi.accounts.selectors import user_by_username
from dangshi.core.private_files import report_path, write_private
from dangshi.core.tabular import ImportFailed, error_report
from dangshi.hotline.intake import requests_import
from dangshi.hotline.models import ImportSource
from dangshi.orgs.scope import Scope, scope_for
from dangshi.orgs.selectors import org_root


class Command(BaseCommand):
    help = ("Import a 12345 hotline export (.xlsx/.csv) whole, or nothing: on any error, write a row-by-row "
            "report and exit 1. Rows whose 工单编号 is already stored are skipped.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default=None, help="name of a saved import source (its column mapping)")
        parser.add_argument("--as", dest="username", default=None,
                            help="import within this user's scope (default: the whole tree)")
        parser.add_argument("--report", type=Path, default=None,
                            help="where to write the error report, mode 0600 (default: ./FILE-errors.xlsx in the current directory)")

    def handle(self, *args, file: Path, source, username, report, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        user, scope = None, Scope(user_id=0, is_superuser=True)
        if username:
            user = user_by_username(username)
            if user is None:
                raise CommandError(f"no user {username!r}")
            scope = scope_for(user)
        src = None
        if source:
            src = ImportSource.objects.filter(name=source).first()
            if src is None:
                raise CommandError(f"no import source {source!r}")
        intake = scope.home_org or org_root()
        if intake is None:
            raise CommandError("no org tree yet")
        started = time.perf_counter()
        try:
            with file.open("rb") as fh:
                result = requests_import(file=fh, filename=file.name, scope=scope, actor=user, source=src,
                                         intake_org=intake)
        except ImportFailed as failure:
            with file.open("rb") as fh:
                report = write_private(report_path(file, report), error_report(failure, file=fh, filename=file.name))
            for error in failure.errors[:50]:
                self.stderr.write(str(error))
            if len(failure.errors) > 50:
                self.stderr.write(f"… {len(failure.errors) - 50} more")
            raise CommandError(f"{failure.message} Report: {report}") from None
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"{result.rows} rows: {result.created} requests added, {result.skipped} already there ({elapsed:.1f} s)"))
