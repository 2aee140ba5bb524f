"""Large allowances are counted in Redis a share at a time (config/api/throttling.py): fewer
round trips, never more requests in a window than the allowance."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from config.api.throttling import MOST_A_SHARE, share_of, shares
from config.cache import RedisCache

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
TOPICS = "/api/v1/topics/"


@pytest.fixture(autouse=True)
def redis_cache():
    shares.clear()
    config = {
        "BACKEND": "config.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"test-shares-{uuid.uuid4().hex}",
    }
    with override_settings(CACHES={"default": config}):
        yield caches["default"]
        caches["default"].clear()
    shares.clear()


@pytest.fixture
def round_trips(monkeypatch) -> list[int]:
    """The events each call to Redis counted."""
    counted: list[int] = []
    window_count = RedisCache.window_count

    def spy(self, key, seconds, events=1, version=None):
        counted.append(events)
        return window_count(self, key, seconds, events, version)

    monkeypatch.setattr(RedisCache, "window_count", spy)
    return counted


def user_rate(settings, rate: str) -> None:
    config = dict(settings.REST_FRAMEWORK)
    config["DEFAULT_THROTTLE_RATES"] = {**config["DEFAULT_THROTTLE_RATES"], "user": rate}
    settings.REST_FRAMEWORK = config


def test_a_share_is_a_hundredth_of_the_allowance_within_bounds():
    assert [share_of(n) for n in (1, 60, 199, 200, 600, 1_000_000)] == [1, 1, 1, 2, 6, 20]
    assert share_of(10**9) == MOST_A_SHARE


def test_small_allowances_count_every_request(api, editor, settings, round_trips):
    user_rate(settings, "100/minute")

    assert all(api(editor).get(TOPICS).status_code == 200 for _ in range(5))
    assert round_trips == [1, 1, 1, 1, 1]


def test_a_large_allowance_asks_redis_once_a_share(api, editor, settings, round_trips):
    user_rate(settings, "1000/minute")  # shares of 10

    assert all(api(editor).get(TOPICS).status_code == 200 for _ in range(25))
    assert round_trips == [10, 10, 10]


def test_the_window_never_lets_more_than_the_allowance_through(api, editor, settings):
    user_rate(settings, "250/minute")  # shares of 2
    client = api(editor)

    codes = [client.get(TOPICS).status_code for _ in range(260)]

    assert codes.count(200) == 250
    assert codes[:250] == [200] * 250
    assert set(codes[250:]) == {429}


def test_the_last_share_is_cut_to_what_the_window_has_left(api, editor, settings, redis_cache):
    user_rate(settings, "250/minute")  # shares of 2
    key = redis_cache.make_and_validate_key(f"throttle_user_{editor.pk}:window")
    redis_cache._cache.get_client(write=True).set(key, 249, ex=60)  # one request left

    codes = [api(editor).get(TOPICS).status_code for _ in range(2)]

    assert codes == [200, 429]


def test_a_share_left_over_is_lost_to_other_processes(api, editor, settings):
    user_rate(settings, "250/minute")  # shares of 2
    client = api(editor)
    codes = []
    for _ in range(130):
        codes.append(client.get(TOPICS).status_code)
        shares.clear()  # as if every request reached another process, leaving its share

    assert codes.count(200) == 125  # each took two and used one
    assert set(codes[125:]) == {429}


def test_a_share_ends_before_its_window_does(api, editor, settings, round_trips):
    user_rate(settings, "200/second")  # shares of 2, one-second windows
    client = api(editor)

    client.get(TOPICS)
    time.sleep(1.1)  # the window and the share left of it are over
    client.get(TOPICS)
    client.get(TOPICS)

    assert round_trips == [2, 2]
