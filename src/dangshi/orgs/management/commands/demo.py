import time
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dangshi.audit.services import log_event
from dangshi.core.demo import DEMO_PASSWORD, DemoContext
from dangshi.orgs.selectors import org_tree_exists


class Command(BaseCommand):
    help = "Build the deterministic demo district (534 grass-roots orgs, 11,543 members) and each module's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=11_543, help="number of members (for benchmarks)")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the database already has orgs")
        parser.add_argument("--reset", action="store_true", help="flush the database first (destroys all data)")

    def handle(self, *args, members, seed, if_empty, reset, verbosity, **options):
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        if org_tree_exists():
            if if_empty:
                self.stdout.write("demo: the database already has data; left as it is.")
                return
            raise CommandError("The database already has orgs. Use --reset to rebuild the demo (destroys all data).")
        started = time.monotonic()
        say = self.stdout.write if verbosity else (lambda *_: None)
        ctx = DemoContext(seed=seed, members=members, log=say)
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("dangshi."):
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name == f"{config.name}.demo":
                        continue
                    raise
                if hasattr(module, "build"):
                    step = time.monotonic()
                    module.build(ctx)
                    say(f"demo: {config.label} ({time.monotonic() - step:.1f}s)")
            log_event("core.demo.built", actor=None, org=ctx.root, data={"seed": seed, "members": members})
        say(self.style.SUCCESS(f"demo built in {time.monotonic() - started:.1f}s. Logins (password {DEMO_PASSWORD}):"))
        for name in ("office", "branch1", "branch2", "member1", "lecturer1"):
            say(f"  {name:10s} {ctx.users[name].display_name}")
