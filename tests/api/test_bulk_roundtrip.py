"""An export imports back (``mapping=default``): the same claims, places and verdicts."""

from __future__ import annotations

import json

import pytest

from claims.bulk import claims_export
from claims.bulk.jobs import import_job_run
from claims.models import Appearance, Claim, ExternalReview, Source
from tests.api.test_bulk_liar_import import liar_bytes
from tests.imports import import_file, jsonl

pytestmark = pytest.mark.django_db

CONTENT_TYPES = {"csv": "text/csv", "jsonl": "application/x-ndjson"}
NOT_CARRIED = ("id", "created_at")  # the new rows' own


@pytest.fixture
def desk(editor) -> None:
    """Claims of every shape an import makes: LIAR rows, and one said at a URL by an
    organisation, with a verdict published elsewhere."""
    import_file(editor, liar_bytes(30), mapping="liar")
    row = {
        "statement": "Container traffic grew 12% in 2023.",
        "topics": ["Shipping", "Trade"],
        "speaker": "Port Board",
        "speaker_role": "the harbour owner",
        "speaker_kind": "organisation",
        "source_url": "https://news.example/containers",
        "source_title": "Boxes on the move",
        "source_publisher": "Example News",
        "source_date": "2024-01-15",
        "rating": "Half True",
        "rating_publisher": "Coast Checkers",
        "rating_url": "https://checkers.example/containers",
        "rating_date": "2024-01-20",
    }
    import_file(editor, jsonl([row]), file_format="jsonl")


def counts_of(response) -> dict[str, int]:
    """The counts of the import job a POST queued, once it has run."""
    job = import_job_run(job_id=response.json()["id"])
    return {
        "created": job.created_count,
        "matched": job.matched_count,
        "rejected": job.rejected_count,
    }


def exported(file_format: str) -> str:
    return "".join(claims_export(file_format=file_format))


def comparable(text: str) -> list[dict]:
    rows = [json.loads(line) for line in exported_lines(text)]
    return sorted(
        ({k: v for k, v in row.items() if k not in NOT_CARRIED} for row in rows),
        key=lambda row: row["statement"],
    )


def exported_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("file_format", ["csv", "jsonl"])
def test_an_export_imported_into_an_empty_desk_exports_the_same(api, editor, desk, file_format):
    before = comparable(exported("jsonl"))
    assert len(before) == 31
    assert all(row["appearances"] and row["external_reviews"] and row["topics"] for row in before)
    export = exported(file_format)
    Claim.objects.all().delete()
    Source.objects.all().delete()
    assert not Appearance.objects.exists() and not ExternalReview.objects.exists()
    response = api(editor).post(
        f"/api/v1/claims/import?format={file_format}&mapping=default",
        export.encode(),
        content_type=CONTENT_TYPES[file_format],
    )
    assert response.status_code == 202
    assert counts_of(response) == {"created": 31, "matched": 0, "rejected": 0}
    assert comparable(exported("jsonl")) == before


@pytest.mark.parametrize("file_format", ["csv", "jsonl"])
def test_an_export_imported_into_the_same_desk_matches_every_claim(api, editor, desk, file_format):
    tables = (Claim, Appearance, Source, ExternalReview)
    counts = [model.objects.count() for model in tables]
    response = api(editor).post(
        f"/api/v1/claims/import?format={file_format}&mapping=default",
        exported(file_format).encode(),
        content_type=CONTENT_TYPES[file_format],
    )
    assert counts_of(response) == {"created": 0, "matched": 31, "rejected": 0}
    assert [model.objects.count() for model in tables] == counts
