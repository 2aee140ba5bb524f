"""The claim list's answers come from a cache keyed on PostgreSQL's snapshot
(config/api/list_cache.py): a repeated request is a hit, and any committed change to the
database, however it was made, is a miss that shows the change.

These tests commit (``transaction=True``): inside a test's usual transaction the cache is off.
"""

from __future__ import annotations

import psycopg
import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction

from claims import services
from claims.models import Claim
from config.api import list_cache
from config.api.list_cache import Answer, LocalAnswers
from tests import factories
from tests.api.conftest import client_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

URL = "/api/v1/claims/?state=new&page_size=50"


def get(user: object, url: str = URL, **headers: str):
    response = client_for(user).get(url, **headers)
    assert response.status_code == 200, response.content
    return response


def get_twice(user: object, url: str = URL, **headers: str):
    """A fresh answer, then the same request again, with nothing committed between them by
    this test. The snapshot is the whole server's, so another database's write (a neighbour's
    test run) also makes a miss: such a pair is tried again, up to five times."""
    client = client_for(user)
    for _ in range(5):
        before = current_snapshot()
        pair = [
            client.get(url, HTTP_CACHE_CONTROL="no-cache", **headers),
            client.get(url, **headers),
        ]
        if current_snapshot() == before:
            break
    assert all(r.status_code == 200 for r in pair)
    return pair


def current_snapshot() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


def statements(response) -> list[str]:
    return [row["statement"] for row in response.json()["results"]]


def raw_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )


def test_a_repeated_list_is_a_hit_with_the_same_bytes(reviewer, new_claim):
    first, second = get_twice(reviewer)

    assert first["X-List-Cache"] == "miss"
    assert second["X-List-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == "application/json"
    assert statements(second) == [new_claim.statement]


def test_a_change_through_the_service_is_seen_at_once(reviewer, editor, new_claim):
    get(reviewer)
    services.claim_update(actor=editor, claim=new_claim, statement="The fleet has 40 ships.")

    after = get(reviewer)

    assert after["X-List-Cache"] == "miss"
    assert statements(after) == ["The fleet has 40 ships."]


def test_a_change_no_model_signal_hears_of_is_seen_at_once(reviewer, new_claim):
    get(reviewer)
    Claim.objects.filter(pk=new_claim.pk).update(statement="Changed by a bulk update.")

    after = get(reviewer)

    assert after["X-List-Cache"] == "miss"
    assert statements(after) == ["Changed by a bulk update."]


def test_another_connections_write_counts_only_once_committed(reviewer, new_claim):
    get(reviewer)
    with raw_connection() as other:
        other.execute(
            "UPDATE claims_claim SET statement = %s WHERE id = %s",
            ["Written elsewhere.", new_claim.pk],
        )
        while_open = get(reviewer)
        other.commit()
        committed = get(reviewer)

    assert statements(while_open) == [new_claim.statement]
    assert committed["X-List-Cache"] == "miss"
    assert statements(committed) == ["Written elsewhere."]


def test_one_callers_answer_is_never_anothers(reviewer, second_reviewer, editor, new_claim):
    clients = {user: client_for(user) for user in (reviewer, second_reviewer, editor)}
    for _ in range(5):
        before = current_snapshot()
        answers = {user: clients[user].get(URL)["X-List-Cache"] for user in clients}
        again = clients[reviewer].get(URL)["X-List-Cache"]
        if current_snapshot() == before:
            break

    assert answers == {reviewer: "hit", second_reviewer: "miss", editor: "miss"} or answers == {
        reviewer: "miss",
        second_reviewer: "miss",
        editor: "miss",
    }
    assert again == "hit"


def test_the_query_string_and_page_links_are_part_of_the_key(reviewer, submitter, settings):
    settings.ALLOWED_HOSTS = ["testserver", "desk.example"]
    for n in range(3):
        factories.ClaimFactory(statement=f"Claim number {n}.", submitted_by=submitter)
    first_page = get(reviewer, "/api/v1/claims/?page_size=2")
    second_page = get(reviewer, "/api/v1/claims/?page_size=2&page=2")
    other_host = get(reviewer, "/api/v1/claims/?page_size=2", HTTP_HOST="desk.example")

    assert second_page["X-List-Cache"] == "miss"
    assert statements(first_page) != statements(second_page)
    assert other_host["X-List-Cache"] == "miss"
    assert other_host.json()["next"].startswith("http://desk.example/")


def test_no_cache_asks_for_a_fresh_answer(reviewer, new_claim):
    client = client_for(reviewer)
    for _ in range(5):
        before = current_snapshot()
        client.get(URL)
        fresh = client.get(URL, HTTP_CACHE_CONTROL="no-cache")
        again = client.get(URL)
        if current_snapshot() == before:
            break

    assert fresh["X-List-Cache"] == "miss"
    assert again["X-List-Cache"] == "hit"


def test_errors_and_other_formats_are_not_stored(reviewer, new_claim):
    bad = client_for(reviewer).get("/api/v1/claims/?state=nonsense")
    browsable = client_for(reviewer).get(URL, HTTP_ACCEPT="text/html")

    assert bad.status_code == 400
    assert "X-List-Cache" not in bad
    assert browsable.status_code == 200
    assert "X-List-Cache" not in browsable


def test_inside_a_transaction_the_cache_is_not_used(reviewer, editor, new_claim):
    with transaction.atomic():
        get(reviewer)
        services.claim_update(actor=editor, claim=new_claim, statement="Not yet committed.")
        inside = get(reviewer)

    assert "X-List-Cache" not in inside
    assert statements(inside) == ["Not yet committed."]


def test_zero_seconds_turns_it_off(reviewer, new_claim, settings):
    settings.API_LIST_CACHE_SECONDS = 0

    assert "X-List-Cache" not in get(reviewer)
    assert "X-List-Cache" not in get(reviewer)


def repeat_after_clearing_the_shared_cache(user: object) -> tuple[object, object, object]:
    """A fresh answer, the same request, then the same again after the shared cache was
    emptied; tried again (as ``get_twice``) if another database's write moved the snapshot."""
    client = client_for(user)
    for _ in range(5):
        before = current_snapshot()
        fresh = client.get(URL, HTTP_CACHE_CONTROL="no-cache")
        hit = client.get(URL)
        caches[settings.API_LIST_CACHE].clear()
        after_clear = client.get(URL)
        if current_snapshot() == before:
            break
    return fresh, hit, after_clear


def test_a_hit_is_answered_from_the_processs_memory_without_the_shared_cache(reviewer, new_claim):
    fresh, hit, after_clear = repeat_after_clearing_the_shared_cache(reviewer)

    assert [fresh["X-List-Cache"], hit["X-List-Cache"]] == ["miss", "hit"]
    assert after_clear["X-List-Cache"] == "hit"
    assert after_clear.content == fresh.content


def test_without_the_processs_memory_hits_come_from_the_shared_cache(reviewer, new_claim, settings):
    settings.API_LIST_CACHE_LOCAL_BYTES = 0

    fresh, hit, after_clear = repeat_after_clearing_the_shared_cache(reviewer)

    assert [fresh["X-List-Cache"], hit["X-List-Cache"]] == ["miss", "hit"]
    assert after_clear["X-List-Cache"] == "miss"


def answer(body: bytes, expires: float) -> Answer:
    return Answer(expires=expires, content_type="application/json", headers=[], body=body)


class TestLocalAnswers:
    def test_an_answer_is_kept_until_its_own_expiry(self, monkeypatch):
        now = [1000.0]
        monkeypatch.setattr(list_cache.time, "time", lambda: now[0])
        local = LocalAnswers(1024)
        local.put("short", answer(b"[1]", expires=1010.0))
        local.put("long", answer(b"[2]", expires=1100.0))

        now[0] = 1020.0

        assert local.get("short") is None
        assert local.get("long").body == b"[2]"

    def test_an_expired_or_oversized_answer_is_not_kept(self, monkeypatch):
        monkeypatch.setattr(list_cache.time, "time", lambda: 1000.0)
        local = LocalAnswers(8)
        local.put("expired", answer(b"[]", expires=999.0))
        local.put("large", answer(b"[1,2,3,4,5]", expires=2000.0))

        assert local.get("expired") is None
        assert local.get("large") is None

    def test_the_least_recently_used_answer_goes_first_when_bytes_run_out(self, monkeypatch):
        monkeypatch.setattr(list_cache.time, "time", lambda: 1000.0)
        local = LocalAnswers(10)
        local.put("a", answer(b"aaaa", expires=2000.0))
        local.put("b", answer(b"bbbb", expires=2000.0))
        local.get("a")
        local.put("c", answer(b"cccc", expires=2000.0))

        assert local.get("b") is None
        assert [local.get("a").body, local.get("c").body] == [b"aaaa", b"cccc"]
