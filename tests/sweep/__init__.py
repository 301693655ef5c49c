"""The scope sweep's registry. Each module adds `tests/<app>/sweep.py` with any of:

PARAMS = {"kwarg": Param(lambda w: value)}     # a URL kwarg, by name, site-wide
ROUTES = {"route name": {"kwarg": Param(...)}}  # for one route (overrides PARAMS)
PUBLIC = {"route name", ...}                    # routes anyone may use (no login, no scope)

A Param's value names an object that lies in `owner`'s scope (admin_a, by default: an
object of 支部A), so the sweep can check that the owner reaches it and that everyone
else (admin_b of the sibling branch, member_c, the outsider, anonymous) gets no 2xx.
owner=None skips the "owner reaches it" check (e.g. a one-time token).
A route whose kwargs no registry names makes the sweep fail: new routes cannot slip past.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Param:
    value: Callable[[Any], Any]
    owner: str | None = "admin_a"


def load() -> tuple[dict, dict, set]:
    params: dict[str, Param] = {}
    routes: dict[str, dict[str, Param]] = {}
    public: set[str] = set()
    tests_dir = Path(__file__).resolve().parent.parent
    for info in pkgutil.iter_modules([str(tests_dir)]):
        if not info.ispkg or not (tests_dir / info.name / "sweep.py").exists():
            continue
        module = importlib.import_module(f"tests.{info.name}.sweep")
        params.update(getattr(module, "PARAMS", {}))
        routes.update(getattr(module, "ROUTES", {}))
        public.update(getattr(module, "PUBLIC", set()))
    return params, routes, public
