"""With REDIS_URL set, the cache and the rate-limit counters live in Redis: read back from Redis
itself. Runs against the Redis on 127.0.0.1:6379 (database 15 by default, TEST_REDIS_URL to
change it); skipped where none answers."""

import os
import subprocess
import sys

import pytest
import redis
from django.core.cache import cache

from dangshi.core import ratelimit

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable() -> bool:
    try:
        return redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _reachable(), reason=f"no Redis at {TEST_REDIS_URL}")


@pytest.fixture
def in_redis(settings):
    client = redis.Redis.from_url(TEST_REDIS_URL)
    client.flushdb()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": TEST_REDIS_URL}}
    yield client
    client.flushdb()


def test_settings_choose_the_redis_cache_when_redis_url_is_set():
    env = {**os.environ, "REDIS_URL": TEST_REDIS_URL}
    out = subprocess.run([sys.executable, "-c", "from django.conf import settings; "
                          "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])"],
                         env={**env, "DJANGO_SETTINGS_MODULE": "dangshi.settings"},
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["django.core.cache.backends.redis.RedisCache", TEST_REDIS_URL]


def test_rate_limit_counters_are_keys_in_redis(in_redis):
    for _ in range(3):
        assert ratelimit.hit("login:203.0.113.9", limit=5, window=60)
    keys = [k.decode() for k in in_redis.keys("*rl:login:203.0.113.9:*")]
    assert len(keys) == 1
    assert int(in_redis.get(keys[0])) == 3
    assert 0 < in_redis.ttl(keys[0]) <= 65


def test_the_limit_holds_across_clients_of_the_same_redis(in_redis):
    for _ in range(2):
        ratelimit.hit("api:token", limit=2, window=60)
    # Another app server: its own connection, the same counter.
    key = next(k for k in in_redis.keys("*rl:api:token:*"))
    in_redis.incr(key)
    assert ratelimit.hit("api:token", limit=2, window=60) is False


def test_cached_values_are_stored_in_redis(in_redis):
    cache.set("import-report:42", b"sheet", timeout=1800)
    keys = [k.decode() for k in in_redis.keys("*import-report:42")]
    assert len(keys) == 1 and 1790 < in_redis.ttl(keys[0]) <= 1800
    assert cache.get("import-report:42") == b"sheet"
