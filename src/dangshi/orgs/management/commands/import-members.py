from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangshi.accounts.selectors import user_by_username
from dangshi.core import progress
from dangshi.core.private_files import report_path, write_private
from dangshi.core.tabular import ImportFailed, error_report
from dangshi.orgs.roster import roster_import
from dangshi.orgs.scope import Scope, scope_for


class Command(BaseCommand):
    help = "Import a roster .xlsx whole, or nothing: on any error, write a row-by-row report and exit 1."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="username", default=None,
                            help="import within this user's scope (default: the whole tree, as a superuser would)")
        parser.add_argument("--report", type=Path, default=None,
                            help="where to write the error report, mode 0600 (default: ./FILE-errors.xlsx in the current directory)")

    def handle(self, *args, file: Path, username, report, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        user, scope = None, Scope(user_id=0, is_superuser=True)  # the operator at the console reaches the whole tree
        if username:
            user = user_by_username(username)
            if user is None:
                raise CommandError(f"no user {username!r}")
            scope = scope_for(user)
        try:
            with file.open("rb") as fh, progress.on_terminal(self.stderr._out):
                count = roster_import(file=fh, scope=scope, actor=user, filename=file.name)
                progress.report(written=count)
        except ImportFailed as failure:
            with file.open("rb") as fh:
                report = write_private(report_path(file, report), error_report(failure, file=fh, filename=file.name))
            for error in failure.errors[:50]:
                self.stderr.write(str(error))
            if len(failure.errors) > 50:
                self.stderr.write(f"… {len(failure.errors) - 50} more")
            raise CommandError(f"{failure.message} Report: {report}") from None
        self.stdout.write(self.style.SUCCESS(f"imported {count} members"))

