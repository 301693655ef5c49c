from django.db.models import QuerySet
from django.utils import timezone

from dangshi.accounts.models import LoginLock, LoginThrottle


def login_locks_active() -> list[dict]:
    """Accounts refused at login now: by the account-wide ceiling or by a pair's lock, one line
    per username (the addresses of the pairs are not shown: they are the attackers' as often
    as the owner's)."""
    now = timezone.now()
    ceilings: QuerySet = LoginLock.objects.filter(locked_until__gt=now)
    pairs: QuerySet = LoginThrottle.objects.filter(locked_until__gt=now)
    rows: dict[str, dict] = {}
    for lock in ceilings:
        rows[lock.username] = {"username": lock.username, "ceiling": True, "failures": lock.failures,
                               "locked_until": lock.locked_until, "pairs": 0}
    for pair in pairs:
        row = rows.setdefault(pair.username, {"username": pair.username, "ceiling": False, "failures": 0,
                                              "locked_until": pair.locked_until, "pairs": 0})
        row["pairs"] += 1
        row["failures"] = max(row["failures"], pair.failures)
        row["locked_until"] = max(row["locked_until"], pair.locked_until)
    return sorted(rows.values(), key=lambda r: (not r["ceiling"], r["username"]))
