"""Outside a transaction, on PostgreSQL, an import writes its batches two at a time, each on
a connection of its own (claims.bulk.overlap): it stores and reports what one batch at a time
does, never stores a statement twice across neighbouring batches, and a failing batch takes
the one after it down with it, not the ones before."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test import override_settings

from claims.bulk import claims_import, mapping_named, overlap
from claims.bulk import importer as bulk_importer
from claims.models import Claim, Source, Speaker, Topic
from tests.api.test_bulk_import_copy import (
    ROWS,
    ROWS_STATUSES,
    forget_everything,
    jsonl,
    run_import,
    stored,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="overlap is PostgreSQL's"),
]


@pytest.fixture
def writers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """(thread name, database backend pid) of every batch written, in the order written."""
    seen: list[tuple[str, int]] = []
    batch_import = bulk_importer._batch_import

    def spy(*args, **kwargs):
        seen.append((threading.current_thread().name, connection.connection.info.backend_pid))
        return batch_import(*args, **kwargs)

    monkeypatch.setattr(bulk_importer, "_batch_import", spy)
    return seen


def test_batches_are_written_by_two_threads_on_connections_of_their_own(editor, writers):
    assert overlap.overlap_possible()
    run_import(editor, ROWS, batch_size=2)
    assert len(writers) == 3
    assert {name for name, _ in writers} == {"import-writer_0", "import-writer_1"}
    assert connection.connection is None or connection.connection.info.backend_pid not in {
        pid for _, pid in writers
    }


@pytest.mark.parametrize("batch_size", [1, 2, 3])
def test_two_at_a_time_stores_and_reports_what_one_at_a_time_does(editor, batch_size):
    # One row a batch puts every shared source, speaker and repeated statement of ROWS in
    # neighbouring batches.
    overlapped = run_import(editor, ROWS, batch_size=batch_size)
    overlapped_rows = stored()
    forget_everything()
    with override_settings(BULK_IMPORT_WRITERS=1):
        assert not overlap.overlap_possible()
        one_at_a_time = run_import(editor, ROWS, batch_size=batch_size)
    assert overlapped == one_at_a_time
    assert overlapped_rows == stored()
    assert [row[1] for row in overlapped] == ROWS_STATUSES


def test_a_statement_in_the_batch_before_is_matched_not_stored_twice(editor, writers):
    rows = [
        {"statement": "The canal is 40 km long.", "source_url": "https://news.example/canal"},
        {"statement": "THE CANAL IS 40 KM LONG.", "source_url": "https://radio.example/canal"},
        {"statement": "The canal is 40 km long.", "source_url": "https://tv.example/canal"},
    ]
    report = run_import(editor, rows, batch_size=1)
    assert len({name for name, _ in writers}) == 2
    assert [row[1] for row in report] == ["created", "matched", "matched"]
    claim = Claim.objects.get()
    assert sorted(claim.appearances.values_list("source__url", flat=True)) == [
        "https://news.example/canal",
        "https://radio.example/canal",
        "https://tv.example/canal",
    ]


def test_topics_speakers_and_sources_of_neighbouring_batches_are_stored_once(editor):
    rows = [
        {"statement": f"Lock {n} opened in 18{n}0.", "topics": "Canals; Locks",
         "speaker": "Ann Lee", "speaker_role": "Historian", "source_title": "Canal history",
         "source_url": "https://books.example/canals"}
        for n in range(6)
    ]  # fmt: skip
    report = run_import(editor, rows, batch_size=1)
    assert [row[1] for row in report] == ["created"] * 6
    assert Claim.objects.count() == 6
    assert sorted(Topic.objects.values_list("slug", flat=True)) == ["canals", "locks"]
    assert Speaker.objects.count() == 1
    assert Source.objects.count() == 1


def test_a_failing_batch_rolls_back_the_next_and_the_import_raises_after_the_ones_before(
    editor, monkeypatch
):
    batch_import = bulk_importer._batch_import

    def fail_on_the_second(actor, batch, **kwargs):
        if any("second" in draft.statement for draft in batch.drafts):
            raise RuntimeError("the second batch broke")
        return batch_import(actor, batch, **kwargs)

    monkeypatch.setattr(bulk_importer, "_batch_import", fail_on_the_second)
    words = ["first", "first", "second", "second", "third", "third"]
    rows = [{"statement": f"The {word} bridge is {n} m long."} for n, word in enumerate(words)]
    results = claims_import(
        actor=editor,
        stream=jsonl(rows),
        file_format="jsonl",
        mapping=mapping_named("default"),
        batch_size=2,
    )
    reported = []
    with pytest.raises(RuntimeError, match="the second batch broke"):
        for result in results:
            reported.append(result.status)
    assert reported == ["created", "created"]
    # The third batch was written beside the second, and rolled back with it.
    assert sorted(Claim.objects.values_list("statement", flat=True)) == [
        "The first bridge is 0 m long.",
        "The first bridge is 1 m long.",
    ]


def test_inside_a_transaction_the_batches_are_written_one_at_a_time_in_it(editor, writers):
    with transaction.atomic():
        assert not overlap.overlap_possible()
        run_import(editor, ROWS, batch_size=2)
        assert {pid for _, pid in writers} == {connection.connection.info.backend_pid}
    assert Claim.objects.count() == 4
