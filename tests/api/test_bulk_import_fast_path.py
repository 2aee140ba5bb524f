"""The bulk path of an import (claims.bulk.fast) stores what the row-by-row path stores, and
hands every row it cannot take, or a batch the database refuses, to the row-by-row path."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from claims.bulk import claims_import, mapping_named, tables
from claims.bulk import importer as bulk_importer
from claims.models import Appearance, Claim, Source, Speaker, Topic
from tests.api.conftest import spy_on_bulk_path
from verification.models import ExternalReview, WorkflowEvent

pytestmark = pytest.mark.django_db

ROWS = [
    # id, label, statement, subjects, speaker, job, state, party, 6 counts, context
    ["1.json", "half-true", "The ferry runs every hour.", "ferries,harbours", "jo-bloggs",
     "Mayor", "Kent", "none", "0", "0", "0", "0", "0", "a council meeting"],
    ["2.json", "false", "Tolls were abolished in 1990.", "tolls", "ann-lee", "", "", "", "0",
     "0", "0", "0", "0", "a radio interview"],
    ["3.json", "true", "The quay is 2 km long.", "", "", "", "", "", "0", "0", "0", "0", "0",
     ""],
    ["4.json", "mostly-true", "the ferry runs every hour.", "ferries", "jo-bloggs", "Mayor",
     "Kent", "none", "0", "0", "0", "0", "0", "a council meeting"],
    ["5.json", "sort-of-true", "The beach is closed.", "", "", "", "", "", "0", "0", "0", "0",
     "0", ""],
]  # fmt: skip


def liar_file() -> io.BytesIO:
    return io.BytesIO("".join("\t".join(row) + "\n" for row in ROWS).encode())


def run_import(editor) -> list[tuple]:
    results = claims_import(
        actor=editor, stream=liar_file(), file_format="csv", mapping=mapping_named("liar")
    )
    return [(r.row, r.status, r.statement, r.reason, r.notes) for r in results]


def stored() -> dict[str, object]:
    """Everything an import writes, without ids or times."""
    claims = []
    for claim in Claim.objects.order_by("statement"):
        appearances = sorted(
            (a.source.title, a.source.text, a.source.kind, a.quote, a.start, a.attribution,
             a.speaker and (a.speaker.name, a.speaker.role), a.created_by_id)
            for a in claim.appearances.select_related("source", "speaker")
        )  # fmt: skip
        claims.append(
            (
                claim.statement,
                claim.priority,
                claim.state,
                claim.submitted_by_id,
                sorted(t.slug for t in claim.topics.all()),
                appearances,
                sorted(
                    (r.publisher, r.rating, r.external_id) for r in claim.external_reviews.all()
                ),
                [(h.history_type, h.history_user_id) for h in claim.history.all()],
                list(WorkflowEvent.objects.filter(claim=claim).values_list("action", "to_state")),
            )
        )
    return {
        "claims": claims,
        "topics": sorted(Topic.objects.values_list("slug", "name")),
        "speakers": sorted(Speaker.objects.values_list("name", "role", "kind")),
        "appearance_history": Appearance.history.count(),
        "sources": Source.objects.count(),
    }


def forget_everything() -> None:
    ExternalReview.objects.all().delete()
    Claim.objects.all().delete()
    Claim.history.all().delete()
    Appearance.history.all().delete()
    Source.objects.all().delete()
    Speaker.objects.all().delete()
    Topic.objects.all().delete()


def test_the_bulk_path_stores_and_reports_what_the_row_by_row_path_does(editor, monkeypatch):
    taken = spy_on_bulk_path(monkeypatch)
    bulk_report = run_import(editor)
    # The three new claims went the bulk way, the match row by row; the row with a label LIAR
    # does not have was rejected as it was read.
    assert taken == [True, True, True, False]
    bulk_rows = stored()
    forget_everything()
    monkeypatch.setattr(
        bulk_importer, "records_create", lambda *, records, **_: [None] * len(records)
    )
    row_report = run_import(editor)
    assert bulk_report == row_report
    assert bulk_rows == stored()
    assert [row[1] for row in bulk_report] == [
        "created",
        "created",
        "created",
        "matched",
        "rejected",
    ]


def test_a_batch_the_database_refuses_is_imported_row_by_row(editor, monkeypatch):
    def refuse(*, actor, records, drafts, behind):
        Claim.objects.create(statement="Half written.", submitted_by=editor)
        raise IntegrityError("refused")

    monkeypatch.setattr(bulk_importer, "records_create", refuse)
    report = run_import(editor)
    assert [row[1] for row in report] == ["created", "created", "created", "matched", "rejected"]
    # What the refused attempt wrote went with its savepoint.
    assert not Claim.objects.filter(statement="Half written.").exists()
    assert Claim.objects.count() == 3


@pytest.mark.parametrize(
    ("model", "row"),
    [
        (Claim, {"statement": "", "priority": "whenever"}),
        (Source, {"title": "x" * 501, "text": "Words.", "kind": "leaflet", "language": "e" * 17}),
        (Source, {"title": "Fine", "text": "Words.", "url": "not a url", "published_on": "soon"}),
        (
            ExternalReview,
            {"publisher": "", "rating": "pants-on-fire", "rating_text": "Pants on fire",
             "publisher_url": "ftp//x", "origin": "elsewhere", "rating_value": "high"},
        ),
    ],
)  # fmt: skip
def test_the_bulk_paths_field_checks_refuse_what_full_clean_refuses(model, row):
    """claims.bulk.tables.row_clean stands in for full_clean on the bulk path: the same
    fields, the same messages (relations and constraints are the database's on both)."""
    instance = model(**row)
    others = [f.name for f in model._meta.concrete_fields if f.attname not in row]
    with pytest.raises(ValidationError) as by_model:
        instance.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    with pytest.raises(ValidationError) as by_row:
        tables.row_clean(model, dict(row))
    assert by_row.value.message_dict == by_model.value.message_dict
    assert len(by_row.value.message_dict) >= 2


@pytest.mark.parametrize(
    ("model", "name", "value"),
    [
        (Claim, "statement", "Harbour dues rose."),
        (Claim, "statement", ""),
        (Claim, "priority", "high"),
        (Claim, "priority", "whenever"),
        (Claim, "priority", ""),
        (Source, "title", "x" * 500),
        (Source, "title", "x" * 501),
        (Source, "kind", "article"),
        (Source, "language", "e" * 17),
        # Not editable: no choice or blank check, but its length is.
        (Source, "content_hash", "a" * 64),
        (Source, "content_hash", "a" * 65),
        (Source, "url", "not a url"),
        (ExternalReview, "rating", "false"),
        (ExternalReview, "rating", "pants-on-fire"),
        (ExternalReview, "published_on", "2024-03-01"),
    ],
)  # fmt: skip
def test_the_bulk_paths_field_check_returns_or_refuses_as_field_clean_does(model, name, value):
    """The checks row_clean builds once per field (a shortcut for plain text fields) give
    Field.clean's value, or its error with its message."""
    field = model._meta.get_field(name)
    try:
        expected = field.clean(value, None)
    except ValidationError as error:
        with pytest.raises(ValidationError) as refused:
            tables._cleaner(field)(value)
        assert refused.value.messages == error.messages
    else:
        assert tables._cleaner(field)(value) == expected


def test_a_report_line_as_a_dict_has_every_field_of_the_line():
    line = bulk_importer.RowResult(
        3, 4, "created", claim=7, statement="Dues rose.", reason="", notes=["A note."]
    )
    as_dict = line.as_dict()
    assert as_dict == dataclasses.asdict(line)
    assert list(as_dict) == [f.name for f in dataclasses.fields(line)]
    assert as_dict["notes"] is not line.notes
