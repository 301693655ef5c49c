from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangshi.errors import DomainError
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import org_by_code
from dangshi.orgs.services import activation_sheet


class Command(BaseCommand):
    help = "Write an org's activation sheet: one-time links and QR codes for its pending members (14 days, single use)."

    def add_arguments(self, parser):
        parser.add_argument("org_code")
        parser.add_argument("--format", choices=["pdf", "csv"], default="pdf")
        parser.add_argument("--out", type=Path, default=None, help="default: ORG_CODE-activation.pdf|csv here")

    def handle(self, *args, org_code, format, out, **options):
        org = org_by_code(org_code)
        if org is None:
            raise CommandError(f"no org {org_code!r}")
        try:
            # The operator at the console reaches the whole tree.
            body, _name = activation_sheet(scope=Scope(user_id=0, is_superuser=True), org=org, fmt=format)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        out = out or Path(f"{org_code}-activation.{format}")
        out.touch(mode=0o600)  # one-time links: readable by the operator only
        out.write_bytes(body)
        self.stdout.write(f"{out}: activation sheet for {org.name}")
