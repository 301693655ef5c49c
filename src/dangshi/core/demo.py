"""The demo district and the context modules get to add their own demo data.

Each module may have `<app>/demo.py` with `build(ctx: DemoContext) -> None`; the `demo`
command calls them in INSTALLED_APPS order after `orgs`, so a module sees what the
modules before it created. Everything draws from `ctx.rng`, seeded, so a demo is the
same every time it is built.
"""

import random
from dataclasses import dataclass, field
from datetime import date

DEMO_PASSWORD = "Dangshi@2021"  # noqa: S105 - documented demo credential


@dataclass
class DemoContext:
    seed: int = 2021
    members: int = 11_543
    today: date = field(default_factory=date.today)
    rng: random.Random = field(init=False)
    # filled in by orgs.demo
    campaign: object = None
    root: object = None
    users: dict = field(default_factory=dict)  # "office", "branch1", "branch2", "member1", "lecturer1"
    orgs: dict = field(default_factory=dict)  # named orgs: "branch1", "branch2", "street1", ...
    log: object = print

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def rng_for(self, module: str) -> random.Random:
        """A generator of a module's own, so one module's draws do not shift another's."""
        return random.Random(f"{self.seed}:{module}")
