"""config.cache.RedisCache: Django's Redis cache with one client per connection pool, against a
real Redis (TEST_REDIS_URL, as the integration tests; a missing server fails the test)."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest

from config.cache import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture
def cache():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["answer", "count", "missing", "window"])


def test_every_operation_works_through_the_one_client(cache):
    assert cache.get("missing") is None
    assert cache.add("count", 1, 30)
    assert not cache.add("count", 5, 30)
    assert cache.incr("count") == 2
    cache.set("answer", {"claims": [1, 2, 3]}, 30)
    assert cache.get_many(["answer", "count"]) == {"answer": {"claims": [1, 2, 3]}, "count": 2}
    assert cache.delete("answer")
    assert cache.get("answer") is None


def test_the_client_is_built_once_and_shared_by_threads(cache):
    first = cache._cache.get_client(write=True)
    clients = []

    def work() -> None:
        cache.set("answer", 42, 30)
        clients.append(cache._cache.get_client())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(client is first for client in clients)
    assert cache.get("answer") == 42


def test_window_count_counts_in_a_window_the_first_event_opens(cache):
    counts = [cache.window_count("window", 2) for _ in range(3)]

    assert [count for count, _ in counts] == [1, 2, 3]
    assert all(0 < left <= 2 for _, left in counts)
    time.sleep(2.1)
    assert cache.window_count("window", 2)[0] == 1  # the window closed; a new one opens


def test_window_count_gives_a_counter_without_an_expiry_one(cache):
    raw = cache._cache.get_client(write=True)
    raw.set(cache.make_and_validate_key("window"), 5)  # no expiry, as a stray write would leave

    count, left = cache.window_count("window", 30)

    assert count == 6
    assert left == 30
    assert 0 < raw.ttl(cache.make_and_validate_key("window")) <= 30


def test_window_count_works_after_redis_forgot_its_scripts(cache):
    cache.window_count("window", 30)
    cache._cache.get_client(write=True).script_flush()  # as after a Redis restart

    assert cache.window_count("window", 30)[0] == 2
