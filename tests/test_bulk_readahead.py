"""The import reads ahead of its writes in a thread (claims.bulk.readahead): what the thread
produces, and what it raises, reach the importer in order, and a file over the size limit
still commits the batches before the limit and nothing after."""

from __future__ import annotations

import io
import threading
import time

import pytest
from django.utils import translation

from claims.bulk import TooLarge, claims_import, mapping_named
from claims.bulk.readahead import give_way, read_ahead
from claims.models import Claim


def test_read_ahead_yields_every_item_in_order_from_another_thread():
    threads = []

    def items():
        for n in range(50):
            threads.append(threading.current_thread())
            yield n

    assert list(read_ahead(items(), depth=2)) == list(range(50))
    assert threading.current_thread() not in threads


def test_an_error_while_reading_ahead_is_raised_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise TooLarge("over the limit")

    got = []
    with pytest.raises(TooLarge, match="over the limit"):
        for item in read_ahead(items(), depth=1):
            got.append(item)
    assert got == [1, 2]


def test_a_consumer_that_stops_early_stops_the_reading_thread():
    produced = []

    def items():
        for n in range(1000):
            produced.append(n)
            yield n

    ahead = read_ahead(items(), depth=2)
    assert next(ahead) == 0
    ahead.close()
    count = len(produced)
    time.sleep(0.3)
    # At most the queue's places and the item in hand were read past what was taken.
    assert len(produced) == count <= 4
    assert not any(t.name == "import-read-ahead" for t in threading.enumerate())


def test_give_way_outside_a_reading_thread_does_nothing(monkeypatch):
    slept = []
    monkeypatch.setattr(time, "sleep", slept.append)
    give_way()
    assert slept == []


@pytest.mark.django_db
def test_the_rows_before_a_chunk_over_the_limit_are_imported(editor, monkeypatch):
    monkeypatch.setattr("claims.bulk.rows.CHUNK_SIZE", 256)
    statements = [f"The harbour had {n} ships in port on Monday." for n in range(40)]
    lines = [f"id{n}\ttrue\t{s}\tports\t\t\t\t\t\t\t\t\t\t\n" for n, s in enumerate(statements)]
    data = "".join(lines).encode()
    results = []
    with pytest.raises(TooLarge):
        for result in claims_import(
            actor=editor,
            stream=io.BytesIO(data),
            file_format="csv",
            mapping=mapping_named("liar"),
            batch_size=5,
            limit=len(data) // 2,
        ):
            results.append(result)
    # Whole batches only, each committed before it was reported, none past the limit.
    assert len(results) % 5 == 0
    assert all(r.status == "created" for r in results)
    assert sorted(Claim.objects.values_list("statement", flat=True)) == sorted(
        statements[: len(results)]
    )
    assert 0 < len(results) < len(statements)


def test_the_reading_thread_runs_in_the_callers_language():
    def items():
        yield translation.get_language()

    with translation.override("fr"):
        assert list(read_ahead(items())) == ["fr"]
