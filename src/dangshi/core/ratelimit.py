"""Fixed-window rate limits on the shared cache (Redis or the database cache)."""

import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from dangshi.errors import Refused


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit for `key`; True while the window's count is within `limit`."""
    bucket = f"rl:{key}:{int(time.time() // window)}"
    # add() is atomic on every backend: it creates the counter only if absent.
    if cache.add(bucket, 1, timeout=window + 5):
        return True
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add() and incr()
        cache.add(bucket, 1, timeout=window + 5)
        return True
    return count <= limit


def check(key: str, *, limit: int, window: int) -> None:
    if not hit(key, limit=limit, window=window):
        raise Refused(_("请求过于频繁,请稍后再试。"), code="rate_limited")
