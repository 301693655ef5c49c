"""How many logins one client address must take in 5 minutes: the members who meet in one room
behind one NAT address (a 支部's 主题党日, a 总支's or 党委's 党课), counted in the demo district.

Usage (on a built demo database, read only):
    DATABASE_URL=sqlite:////path/to/demo.sqlite3 DANGSHI_VAR=/path/to/its/var .venv/bin/python bench/login_meeting.py

Prints, per org kind, the largest and the 95th-percentile number of active members in the
org's subtree, and the attempts a meeting of the largest needs if every member takes two tries
(one typo each: an assumption, stated in docs/security.md; the demo has no login history)."""

import os
import statistics
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402

from dangshi.orgs.models import Member, Org  # noqa: E402  (a benchmark reads the tables directly)

TRIES = 2


def main() -> None:
    per_org = dict(Member.objects.filter(active=True).values_list("org__path").annotate(n=Count("id")))
    orgs = list(Org.objects.values_list("path", "kind"))
    print(f"demo: {len(orgs)} orgs, {sum(per_org.values())} active members")
    print(f"{'kind':<20}{'orgs':>6}{'max':>8}{'p95':>8}{'median':>8}")
    largest_meeting = 0
    for kind in ("branch", "general_branch", "committee", "working_committee"):
        sizes = sorted(sum(n for p, n in per_org.items() if p.startswith(path)) for path, k in orgs if k == kind)
        sizes = [s for s in sizes if s]
        if not sizes:
            continue
        p95 = sizes[int(0.95 * (len(sizes) - 1))]
        print(f"{kind:<20}{len(sizes):>6}{sizes[-1]:>8}{p95:>8}{statistics.median(sizes):>8.0f}")
        if kind in ("branch", "general_branch", "committee"):  # a working committee's members never meet in one room
            largest_meeting = max(largest_meeting, sizes[-1])
    print(f"largest meeting in one room: {largest_meeting} members; x{TRIES} tries = {largest_meeting * TRIES} "
          f"attempts in 5 minutes; LOGIN_ADDRESS_LIMIT = {settings.LOGIN_ADDRESS_LIMIT}")


if __name__ == "__main__":
    main()
