"""Bulk import writes what one claim at a time writes: a chunk's new claims go through
``claims_create_many`` in a statement a table, and store, column for column, what
``claim_create`` and the one-record path (``record_import_try``, the ClaimReview import's)
store; a chunk the database refuses is imported record by record, and the bad one leaves
nothing."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from claims.models import Appearance, Claim, ExternalReview, Quantity, Source, Speaker, Topic
from claims.services import (
    AppearanceData,
    QuantityData,
    claim_build,
    claim_create,
    claims_create_many,
    topics_get_or_create,
)
from claims.services.record_import import record_import_try
from tests import factories
from tests.imports import import_file, jsonl, report
from verification.models import WorkflowEvent

pytestmark = pytest.mark.django_db

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
    # The first statement again: matched.
    {"statement": "harbour dues rose 4% in 2023.", "topics": "Tolls"},
    # Places and verdicts given as lists, one place twice, one verdict twice.
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
         {"publisher": "Other Desk", "rating_text": "Mostly false", "external_id": "od-7"},
     ]},
    # Broken: rejected.
    {"statement": "The port never closes.", "priority": "whenever"},
    {"statement": "The pier is 1 km long.", "rating": "False", "rating_publisher": "Coast Checkers",
     "rating_url": "not a url", "source_url": "https://news.example/pier", "topics": "Piers"},
]  # fmt: skip
STATUSES = ["created", "created", "created", "matched", "created", "rejected", "rejected"]

VOLATILE = {"id", "history_id", "created_at", "updated_at", "history_date", "imported_at"}
TABLES = (
    Claim,
    Claim.history.model,
    Claim.topics.through,
    Quantity,
    WorkflowEvent,
    Source,
    Appearance,
    Appearance.history.model,
    ExternalReview,
    Speaker,
    Topic,
)


def stored() -> dict[str, list]:
    """Every row of every table a claim is written to, every column but ids and times, each
    reference given as what it points at."""
    names = {
        "claim_id": dict(Claim.objects.values_list("pk", "statement")),
        "source_id": dict(Source.objects.values_list("pk", "title")),
        "speaker_id": dict(Speaker.objects.values_list("pk", "name")),
        "topic_id": dict(Topic.objects.values_list("pk", "slug")),
    }
    out = {}
    for model in TABLES:
        rows = []
        for row in model._default_manager.values():
            if model is Claim.history.model:
                row["claim"] = names["claim_id"][row["id"]]
            for name, targets in names.items():
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


def without_ids(lines: list[tuple]) -> list[tuple]:
    # Notes name sources by id, which differ from one run to the next.
    return [(*line[:5], [re.sub(r"#\d+", "#", n) for n in line[5]]) for line in lines]


def test_a_chunk_stores_what_importing_each_record_alone_stores(editor):
    chunk = import_file(editor, jsonl(ROWS), file_format="jsonl")
    in_bulk = stored()
    bulk_report = without_ids(report(chunk))
    forget_everything()
    alone = import_file(editor, jsonl(ROWS), file_format="jsonl", chunk_size=1)

    assert without_ids(report(alone)) == bulk_report
    assert stored() == in_bulk
    assert [line[2] for line in bulk_report] == STATUSES
    assert "does not contain the quote" in bulk_report[1][5][0]
    assert bulk_report[4][5] == ["Other Desk's verdict was already recorded on this claim."]
    assert bulk_report[6][4] == "url: Enter a valid URL."
    # Every table was written to: the comparison compared something.
    assert all(in_bulk[model._meta.label] for model in TABLES if model is not Quantity)
    assert not Source.objects.filter(url="https://news.example/pier").exists()
    assert not Topic.objects.filter(slug="piers").exists()


def test_many_claims_written_together_are_the_rows_claim_create_writes(editor, reviewer):
    source = factories.SourceFactory(text="The dues rose 4%. The pier is 1 km long.")
    ann = factories.SpeakerFactory(name="Ann Lee")
    topics = topics_get_or_create(["Harbours", "Piers"])
    specs = [
        {"statement": "Dues rose 4%.", "priority": "high", "topics": topics[:1],
         "quantities": [QuantityData(value=4, unit="%", kind="percentage")],
         "appearances": [AppearanceData(source=source, quote="The dues rose 4%.", start=0,
                                        speaker=ann, attribution="said")],
         "checkworthiness": 0.8},
        {"statement": "The pier is 1 km long.", "topics": topics,
         "quantities": [QuantityData(value=1, unit="km"), QuantityData(value=1000, unit="m")],
         "appearances": [AppearanceData(source=source, quote="The pier is 1 km long.",
                                        start=18)]},
        {"statement": "Nothing else happened."},
    ]  # fmt: skip
    for spec in specs:
        claim_create(actor=reviewer, **spec)
    one_at_a_time = stored()
    Claim.objects.all().delete()
    Claim.history.all().delete()
    Appearance.history.all().delete()

    claims_create_many(actor=reviewer, rows=[claim_build(actor=reviewer, **spec) for spec in specs])

    assert stored() == one_at_a_time
    assert Claim.history.filter(history_user=reviewer, history_type="+").count() == 3
    assert WorkflowEvent.objects.filter(actor=reviewer, action="create").count() == 3


def test_a_constraint_refused_by_the_database_is_named_and_nothing_is_written(editor):
    rows = [
        claim_build(actor=editor, statement="Fine."),
        claim_build(actor=editor, statement="Too sure.", checkworthiness=1.5),
    ]
    with pytest.raises(ValidationError) as refused:
        claims_create_many(actor=editor, rows=rows)
    assert "claim_checkworthiness_0_1" in str(refused.value)
    assert not Claim.objects.exists() and not WorkflowEvent.objects.exists()
    assert not Claim.history.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL refuses NUL in text")
def test_a_record_the_database_refuses_costs_the_chunks_other_records_nothing(editor):
    good = [
        {"statement": f"Berth {n} is 200 m long.", "speaker": f"Pilot {n}",
         "source_url": f"https://news.example/berth-{n}", "topics": f"Berth {n}",
         "rating": "True", "rating_publisher": "Coast Checkers"}
        for n in range(3)
    ]  # fmt: skip
    # Valid as far as field validation goes; PostgreSQL refuses the NUL in the verdict, the
    # last table the chunk writes, after its claim, source, appearance and history went in.
    bad = {"statement": "The lighthouse is 300 years old.", "speaker": "Keeper Ross",
           "source_url": "https://news.example/lighthouse", "topics": "Lighthouses",
           "rating": "False", "rating_publisher": "Coast\x00Checkers"}  # fmt: skip
    job = import_file(editor, jsonl([good[0], good[1], bad, good[2]]), file_format="jsonl")

    lines = report(job)
    assert [line[2] for line in lines] == ["created", "created", "rejected", "created"]
    assert lines[2][4].startswith("The database refused the record")
    assert sorted(Claim.objects.values_list("statement", flat=True)) == sorted(
        row["statement"] for row in good
    )
    assert Claim.history.count() == WorkflowEvent.objects.count() == 3
    assert Appearance.objects.count() == Appearance.history.count() == 3
    assert ExternalReview.objects.count() == Source.objects.count() == 3
    assert not Source.objects.filter(url="https://news.example/lighthouse").exists()
    assert not Speaker.objects.filter(name="Keeper Ross").exists()
    assert not Topic.objects.filter(slug="lighthouses").exists()


def test_sources_stored_before_are_found_by_their_text_and_by_their_url(editor):
    verdict = {"rating": "False", "rating_publisher": "Coast Checkers",
               "rating_url": "https://check.example/tolls"}  # fmt: skip
    first = {"statement": "Tolls rose in 2020.", "quote": "Tolls went up",
             "source_title": "Council meeting", **verdict}  # fmt: skip
    second = [
        # The same quote, venue and record: the same source text, found by its hash.
        {"statement": "Tolls rose in 2021.", "quote": "Tolls went up",
         "source_title": "Council meeting", **verdict},
        # A stored article at that URL whose text has the quote: used as it is.
        {"statement": "Ferries run late.", "source_url": "https://news.example/stored"},
        # A stored article whose text lacks the quote: a note, no appearance.
        {"statement": "Ferries are free.", "source_url": "https://news.example/stored"},
    ]  # fmt: skip
    Source.objects.create(
        url="https://news.example/stored",
        title="Stored",
        text="The mayor said: Ferries run late. Nothing else.",
    )
    assert record_import_try(actor=editor, data=_record(first)).status == "created"
    job = import_file(editor, jsonl(second), file_format="jsonl")

    assert [line[2] for line in report(job)] == ["created"] * 3
    assert Source.objects.count() == 2  # the council meeting's record, and the stored article
    assert Appearance.objects.filter(source__url="https://news.example/stored").count() == 1
    assert "does not contain the quote" in report(job)[2][5][0]


def _record(row: dict):
    from claims.bulk.mapping import DEFAULT, read_row

    return read_row(DEFAULT, row)
