"""CACHE_URL=redis://… gives a working shared cache (rate limits, idempotency records).

Needs a Redis server on 127.0.0.1:6379: skipped without one locally, required in CI.
"""

import os
import socket
import uuid

import environ
import pytest
from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture
def redis_cache():
    if not _redis_is_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379; CI requires it.")
        pytest.skip("no Redis server on 127.0.0.1:6379")
    config = environ.Env().cache_url_config(REDIS_URL)
    backend = import_string(config.pop("BACKEND"))
    return backend(config.pop("LOCATION"), config)


def test_cache_url_selects_djangos_redis_backend():
    config = environ.Env().cache_url_config(REDIS_URL)
    assert import_string(config["BACKEND"]) is RedisCache


def test_add_is_atomic_and_counters_work(redis_cache):
    key = f"test:{uuid.uuid4()}"
    assert redis_cache.add(key, 0, timeout=30)
    assert not redis_cache.add(key, 0, timeout=30)  # the idempotency claim relies on this
    assert redis_cache.incr(key) == 1  # the failure counter relies on this
    redis_cache.delete(key)
