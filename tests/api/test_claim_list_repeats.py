"""A token's repeated claim list request is answered from the process's memory before Django
REST framework takes it (``SnapshotCachedListMixin.dispatch``, config/api/list_cache.py): the
same answer DRF's path gives, and nothing it would refuse.

These tests commit (``transaction=True``): inside a test's usual transaction the cache is off.
The snapshot is the whole server's, so a neighbour's write can turn a hit into a miss; each
sequence is tried again (up to five times) until it ran with the snapshot standing still.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.views import APIView

from config.api import list_cache
from config.api.throttling import shares
from tests.api.conftest import client_for
from tests.api.test_claim_list_cache import URL, current_snapshot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture
def drf_calls(monkeypatch) -> list[str]:
    """The paths of the requests Django REST framework itself handled."""
    calls: list[str] = []
    initial = APIView.initial

    def counted(self, request, *args, **kwargs):
        calls.append(request.get_full_path())
        return initial(self, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "initial", counted)
    return calls


def still(sequence: Callable[[], object]) -> object:
    """``sequence()``, run again until no other commit moved the snapshot during it."""
    for _ in range(5):
        before = current_snapshot()
        result = sequence()
        if current_snapshot() == before:
            return result
    pytest.fail("the database's snapshot never stood still for the sequence")


def headers(response) -> dict[str, str]:
    return dict(response.items())


def test_a_repeat_skips_drf_and_answers_what_drfs_hit_answers(reviewer, new_claim, drf_calls):
    client = client_for(reviewer)

    def sequence():
        drf_calls.clear()
        fresh = client.get(URL, HTTP_CACHE_CONTROL="no-cache")
        repeat = client.get(URL)
        handled = list(drf_calls)
        list_cache._local = None  # this process forgets: the next hit is DRF's, from Redis
        through_drf = client.get(URL)
        return fresh, repeat, handled, through_drf, list(drf_calls)

    fresh, repeat, handled, through_drf, handled_after = still(sequence)

    assert handled == [URL]  # the first request only
    assert handled_after == [URL, URL]  # the one after forgetting went through DRF
    assert [fresh["X-List-Cache"], repeat["X-List-Cache"]] == ["miss", "hit"]
    assert through_drf["X-List-Cache"] == "hit"
    assert repeat.status_code == through_drf.status_code == 200
    assert repeat.content == through_drf.content == fresh.content
    assert headers(repeat) == headers(through_drf)
    assert repeat["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert repeat["Vary"] == "Accept"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ("revoke the token", 401),
        ("deactivate the user", 401),
        ("take the reviewer role away", 403),
    ],
)
def test_a_change_to_the_caller_is_refused_at_once(reviewer, new_claim, change, status):
    client = client_for(reviewer)
    still(lambda: (client.get(URL, HTTP_CACHE_CONTROL="no-cache"), client.get(URL)))
    assert client.get(URL)["X-List-Cache"] == "hit"

    if change == "revoke the token":
        Token.objects.filter(user=reviewer).delete()
    elif change == "deactivate the user":
        reviewer.is_active = False
        reviewer.save(update_fields=["is_active"])
    else:
        reviewer.groups.clear()

    refused = client.get(URL)
    assert refused.status_code == status, refused.content
    assert "X-List-Cache" not in refused


def test_a_new_token_is_checked_by_drf_and_the_old_one_refused(reviewer, new_claim, drf_calls):
    old = client_for(reviewer)
    still(lambda: (old.get(URL, HTTP_CACHE_CONTROL="no-cache"), old.get(URL)))
    Token.objects.filter(user=reviewer).delete()  # one token a user: replaced, not added
    new = client_for(None)
    new.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer).key}")
    drf_calls.clear()

    answer = new.get(URL)
    refused = old.get(URL)

    assert answer.status_code == 200
    assert answer.content.startswith(b'{"count":')
    assert refused.status_code == 401
    assert drf_calls == [URL, URL]


@pytest.mark.parametrize(
    "header",
    ["Token", "Token two words", "Bearer abc", "token-without-space"],
)
def test_a_malformed_or_foreign_authorization_goes_to_drf(reviewer, new_claim, header, drf_calls):
    token = client_for(reviewer)
    still(lambda: (token.get(URL, HTTP_CACHE_CONTROL="no-cache"), token.get(URL)))
    drf_calls.clear()

    response = client_for(None).get(URL, HTTP_AUTHORIZATION=header)

    assert drf_calls == [URL]
    assert response.status_code == 401


def test_no_cache_and_other_media_types_go_to_drf(reviewer, new_claim, drf_calls):
    client = client_for(reviewer)
    still(lambda: (client.get(URL, HTTP_CACHE_CONTROL="no-cache"), client.get(URL)))
    drf_calls.clear()

    fresh = client.get(URL, HTTP_CACHE_CONTROL="no-cache")
    browsable = client.get(URL, HTTP_ACCEPT="text/html")

    assert drf_calls == [URL, URL]
    assert fresh["X-List-Cache"] == "miss"
    assert "X-List-Cache" not in browsable


@pytest.fixture(params=["locmem", "redis"])
def throttle_cache(request):
    """The throttles count in the per-process cache (DRF's own way) or in Redis (windows)."""
    shares.clear()
    if request.param == "locmem":
        yield request.param
        return
    redis_cache = {
        "BACKEND": "config.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"test-repeats-{uuid.uuid4().hex}",
    }
    with override_settings(CACHES={"default": redis_cache}):
        yield request.param
        caches["default"].clear()
    shares.clear()


def test_repeats_count_towards_the_throttle(reviewer, new_claim, throttle_cache, settings):
    config = dict(settings.REST_FRAMEWORK)
    config["DEFAULT_THROTTLE_RATES"] = {**config["DEFAULT_THROTTLE_RATES"], "user": "4/minute"}
    settings.REST_FRAMEWORK = config
    client = client_for(reviewer)

    def sequence():
        caches["default"].clear()  # a fresh allowance each try
        return [client.get(URL) for _ in range(5)]

    answers = still(sequence)

    assert [r.status_code for r in answers] == [200, 200, 200, 200, 429]
    assert [r["X-List-Cache"] for r in answers[:4]] == ["miss", "hit", "hit", "hit"]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    assert answers[-1].json()["error"]["code"] == "throttled"
