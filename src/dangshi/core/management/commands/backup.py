from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangshi.core.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database (SQLite online backup or pg_dump custom format) and the uploads into one "
            "tar.gz, mode 0600. FIELD_ENCRYPTION_KEY is never inside: keep it in a separate safe.")

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", type=Path, default=None,
                            help="archive to write (default: ./dangshi-backup-YYYYmmdd-HHMMSS.tar.gz)")

    def handle(self, *args, output, **options):
        output = output or Path.cwd() / f"dangshi-backup-{datetime.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            manifest = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"backup written: {output.resolve()} ({manifest['engine']}, {manifest['media_files']} media files); "
            "the encryption key is not in it"))
