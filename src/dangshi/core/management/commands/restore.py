from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangshi.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = "Restore a `dangshi backup` archive: replaces the database and restores the uploads."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask (the current data is replaced)")
        parser.add_argument("--other-key", action="store_true",
                            help="restore even though the archive was made under another FIELD_ENCRYPTION_KEY")

    def handle(self, *args, archive, yes, other_key, **options):
        if not archive.exists():
            raise CommandError(f"{archive}: no such file")
        try:
            manifest = read_manifest(archive)
        except (BackupError, OSError, ValueError) as exc:
            raise CommandError(f"{archive}: {exc}") from None
        if not yes:
            answer = input(f"Replace this site's database and uploads with the backup of {manifest['created_at']}? "
                           "[y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("not restored")
        try:
            restore(archive, allow_other_key=other_key)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"restored {archive} ({manifest['engine']}, "
                                             f"{manifest['media_files']} media files)"))
