"""On PostgreSQL the bulk path writes its rows with COPY (claims.bulk.tables): it stores exactly
what its INSERTs store, draws its ids from the tables' sequences, and a row the database
refuses in the middle of a COPY costs the batch's other rows nothing and leaves nothing of
itself."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re

import pytest
from django.db import DataError, connection

from claims.bulk import claims_import, fast, mapping_named, tables
from claims.bulk import importer as bulk_importer
from claims.models import Appearance, Claim, Source, Speaker, Topic
from tests.api.conftest import spy_on_bulk_path
from verification.models import ExternalReview, WorkflowEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]

ROWS = [
    {"statement": "Harbour dues rose 4% in 2023.", "topics": "Harbours; Budgets",
     "speaker": "Ann Lee", "speaker_role": "Harbour master", "source_url": "https://news.example/dues",
     "source_title": "Dues up", "source_publisher": "Coast News", "source_date": "2024-02-01",
     "rating": "False", "rating_publisher": "Coast Checkers",
     "rating_url": "https://check.example/dues", "priority": "high"},
    # The same URL, another statement: the stored source's text lacks this quote (a note).
    {"statement": "Dredging stopped in May.", "source_url": "https://news.example/dues",
     "speaker": "Ann Lee", "speaker_role": "Harbour master", "topics": "Dredging"},
    # A venue only, a speaker that is an organisation.
    {"statement": "The ferry carries 2m people a year.", "source_title": "Council meeting",
     "speaker": "Port Board", "speaker_kind": "organisation", "topics": "ferries"},
    # The first statement again: matched, row by row.
    {"statement": "harbour dues rose 4% in 2023.", "topics": "Tolls"},
    # Places and verdicts given as lists, one place twice.
    {"statement": "Tolls were abolished in 1990.", "quote": "We abolished tolls in 1990",
     "appearances": [
         {"url": "https://tv.example/interview", "title": "Interview", "kind": "transcript",
          "speaker": {"name": "Jo Bloggs", "role": "Mayor"}, "attribution": "said"},
         {"url": "https://tv.example/interview", "title": "Interview"},
         {"title": "A leaflet", "quote": "tolls went in 1990", "attribution": "asserted"},
     ],
     "external_reviews": [
         {"publisher": "Coast Checkers", "rating": "false", "url": "https://check.example/tolls",
          "title": "No, tolls stayed", "language": "en", "published_on": "2024-03-01"},
         {"publisher": "Other Desk", "rating_text": "Mostly false", "external_id": "od-7"},
     ]},
    # Broken: rejected as it is read.
    {"statement": "The port never closes.", "priority": "whenever"},
]  # fmt: skip
# What becomes of each of ROWS.
ROWS_STATUSES = ["created", "created", "created", "matched", "created", "rejected"]


# The tables an import writes with COPY (topics and speakers are created with INSERTs).
COPIED_MODELS = (
    Claim,
    Claim.history.model,
    Claim.topics.through,
    WorkflowEvent,
    Source,
    Appearance,
    Appearance.history.model,
    ExternalReview,
)


def jsonl(rows: list[dict]) -> io.BytesIO:
    return io.BytesIO("".join(json.dumps(row) + "\n" for row in rows).encode())


def run_import(editor, rows: list[dict], **options) -> list[tuple]:
    """``options``: more arguments of ``claims_import`` (``batch_size``)."""
    results = claims_import(
        actor=editor,
        stream=jsonl(rows),
        file_format="jsonl",
        mapping=mapping_named("default"),
        **options,
    )
    # Ids differ from one run to the next; notes name sources by id.
    return [
        (r.row, r.status, r.statement, r.reason, [re.sub(r"#\d+", "#", n) for n in r.notes])
        for r in results
    ]


VOLATILE = {"id", "history_id", "created_at", "updated_at", "history_date", "imported_at"}


def stored() -> dict[str, list]:
    """Every row of every table an import writes, every column but ids and times, references
    given as what they point at."""
    claims = dict(Claim.objects.values_list("pk", "statement"))
    sources = dict(Source.objects.values_list("pk", "title"))
    speakers = dict(Speaker.objects.values_list("pk", "name"))
    topics = dict(Topic.objects.values_list("pk", "slug"))
    appearances = {
        pk: (claims[c], sources[s])
        for pk, c, s in Appearance.objects.values_list("pk", "claim_id", "source_id")
    }
    references = {
        "claim_id": claims,
        "source_id": sources,
        "speaker_id": speakers,
        "topic_id": topics,
    }
    out = {}
    for model in (*COPIED_MODELS, Speaker, Topic):
        rows = []
        for row in model._default_manager.values():
            if model is Claim.history.model:
                row["claim"] = claims[row["id"]]
            if model is Appearance.history.model:
                row["appearance"] = appearances[row["id"]]
            for name, targets in references.items():
                if row.get(name) is not None:
                    row[name] = targets[row[name]]
            rows.append(sorted((k, repr(v)) for k, v in row.items() if k not in VOLATILE))
        out[model._meta.label] = sorted(rows)
    return out


def forget_everything() -> None:
    for model in (ExternalReview, WorkflowEvent, Appearance, Claim, Source, Speaker, Topic):
        model._default_manager.all().delete()
    Claim.history.all().delete()
    Appearance.history.all().delete()


def test_copy_stores_exactly_what_the_inserts_store(editor, monkeypatch):
    copies = []
    monkeypatch.setattr(
        tables.TableWriter, "_copy", functools.partialmethod(spy, tables.TableWriter._copy, copies)
    )
    monkeypatch.setattr(
        bulk_importer, "records_create", functools.partial(fast.records_create, copy=False)
    )
    insert_report = run_import(editor, ROWS)
    assert copies == []
    inserted = stored()
    forget_everything()
    monkeypatch.setattr(bulk_importer, "records_create", fast.records_create)
    copy_report = run_import(editor, ROWS)
    assert {"claims_claim", "claims_historicalclaim", "claims_source"} <= set(copies)

    assert copy_report == insert_report
    assert stored() == inserted
    assert [row[1] for row in copy_report] == ROWS_STATUSES
    assert copy_report[1][4] and "does not contain the quote" in copy_report[1][4][0]
    # Every table was written to: the comparison above compared something.
    assert all(inserted.values())


def spy(writer, copy, seen, table, rows, *, ids):
    seen.append(table.model._meta.db_table)
    return copy(writer, table, rows, ids=ids)


def test_copied_rows_take_their_ids_from_the_sequences(editor):
    run_import(editor, ROWS[:3])
    imported = list(Claim.objects.values_list("pk", flat=True))
    # Written the ordinary way after the COPY: no id is drawn twice.
    later = Claim.objects.create(statement="Written after the import.", submitted_by=editor)
    assert later.pk > max(imported)
    source = Source.objects.create(title="Later", text="Written after the import.")
    assert source.pk > max(Source.objects.exclude(pk=source.pk).values_list("pk", flat=True))
    appearance = Appearance.objects.create(
        claim=later, source=source, quote="Written", start=0, end=7, attribution="reported"
    )
    assert appearance.pk > max(
        Appearance.objects.exclude(pk=appearance.pk).values_list("pk", flat=True)
    )


def test_a_row_the_database_refuses_mid_copy_leaves_nothing_and_costs_the_others_nothing(
    editor, monkeypatch
):
    refused = []

    def records_create(*, actor, records, drafts, behind):
        try:
            return fast.records_create(actor=actor, records=records, drafts=drafts, behind=behind)
        except DataError as error:
            refused.append(error)
            raise

    monkeypatch.setattr(bulk_importer, "records_create", records_create)
    good = [
        {"statement": f"Berth {n} is 200 m long.", "speaker": f"Pilot {n}",
         "source_url": f"https://news.example/berth-{n}", "topics": f"Berth {n}",
         "rating": "True", "rating_publisher": "Coast Checkers"}
        for n in range(3)
    ]  # fmt: skip
    # Valid as far as field validation goes; PostgreSQL refuses the NUL in the verdict, the
    # last table the batch writes, after its claim, source, appearance and history went in.
    bad = {"statement": "The lighthouse is 300 years old.", "speaker": "Keeper Ross",
           "source_url": "https://news.example/lighthouse", "topics": "Lighthouses",
           "rating": "False", "rating_publisher": "Coast\x00Checkers"}  # fmt: skip
    report = run_import(editor, [good[0], good[1], bad, good[2]])

    assert len(refused) == 1  # the COPY batch was refused, then imported row by row
    assert [row[1] for row in report] == ["created", "created", "rejected", "created"]
    assert report[2][3].startswith("The database refused the record")
    assert sorted(Claim.objects.values_list("statement", flat=True)) == sorted(
        row["statement"] for row in good
    )
    assert Claim.history.count() == WorkflowEvent.objects.count() == 3
    assert Appearance.objects.count() == Appearance.history.count() == 3
    assert ExternalReview.objects.count() == Source.objects.count() == 3
    assert not Source.objects.filter(url="https://news.example/lighthouse").exists()
    assert not Speaker.objects.filter(name="Keeper Ross").exists()
    assert not Topic.objects.filter(slug="lighthouses").exists()
    assert Topic.objects.count() == Speaker.objects.count() == 3


def test_sources_stored_before_the_import_are_found_by_url_and_by_text_as_inserts_find_them(
    editor, monkeypatch
):
    verdict = {"rating": "False", "rating_publisher": "Coast Checkers",
               "rating_url": "https://check.example/tolls"}  # fmt: skip
    first = [{"statement": "Tolls rose in 2020.", "quote": "Tolls went up",
              "source_title": "Council meeting", **verdict}]  # fmt: skip
    second = [
        # The same quote, venue and record: the same source text, found by its hash.
        {"statement": "Tolls rose in 2021.", "quote": "Tolls went up",
         "source_title": "Council meeting", **verdict},
        # A stored article at that URL whose text has the quote: used as it is.
        {"statement": "Ferries run late.", "source_url": "https://news.example/stored"},
        # A stored article whose text lacks the quote: a note, no appearance.
        {"statement": "Ferries are free.", "source_url": "https://news.example/stored"},
    ]  # fmt: skip

    def import_both() -> list[tuple]:
        Source.objects.create(
            url="https://news.example/stored",
            title="Stored",
            text="The mayor said: Ferries run late. Nothing else.",
        )
        return run_import(editor, first) + run_import(editor, second)

    monkeypatch.setattr(
        bulk_importer, "records_create", functools.partial(fast.records_create, copy=False)
    )
    insert_report = import_both()
    inserted = stored()
    forget_everything()
    taken = spy_on_bulk_path(monkeypatch)
    copy_report = import_both()

    # All went the bulk way: a stored source it failed to find would have been written again,
    # refused by its unique URL or hash, and the batch imported row by row.
    assert taken == [True] * 4
    assert copy_report == insert_report
    assert stored() == inserted
    assert [row[1] for row in copy_report] == ["created"] * 4
    assert Source.objects.count() == 2  # the council meeting's record, and the stored article
    assert Appearance.objects.filter(source__url="https://news.example/stored").count() == 1
    assert "does not contain the quote" in copy_report[3][4][0]


def test_every_table_an_import_writes_is_copied_in_the_binary_format():
    with connection.cursor() as cursor:
        for model in COPIED_MODELS:
            types = tables._column_types(cursor, model._meta.db_table)
            assert set(types.values()) <= tables.BINARY_OIDS, model._meta.label


def test_copied_times_are_the_instants_the_writer_gave(editor, monkeypatch):
    moment = dt.datetime(2024, 2, 29, 23, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    monkeypatch.setattr(tables.timezone, "now", lambda: moment)
    run_import(editor, ROWS[:1])
    claim = Claim.objects.get()
    assert claim.created_at == claim.updated_at == moment
    assert Claim.history.get().history_date == moment
    assert Source.objects.get().created_at == moment
    assert Appearance.objects.get().created_at == moment
