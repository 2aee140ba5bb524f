"""POST /api/v1/claims/import?mapping=liar: the LIAR validation set, 1,284 PolitiFact rows,
imported by the job the POST queues.

Expectations are read from ../shared/data/liar/valid.tsv at test time (its README: column 1 the
id, 2 the label, 3 the statement, 4 the subjects, 5 the speaker, 6 the job, 14 the context).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from claims.bulk.jobs import import_job_run
from claims.models import (
    Appearance,
    Claim,
    ClaimState,
    ExternalReview,
    ExternalReviewOrigin,
    ImportRow,
    Source,
    Speaker,
    Topic,
)
from tests.imports import import_file

pytestmark = pytest.mark.django_db

LIAR = Path(settings.BASE_DIR).parent / "shared" / "data" / "liar" / "valid.tsv"
URL = "/api/v1/claims/import?format=csv&mapping=liar"
LABEL_RATING = {
    "pants-fire": "false",
    "false": "false",
    "barely-true": "mostly_false",
    "half-true": "mixed",
    "mostly-true": "mostly_true",
    "true": "true",
}


def liar_rows(limit: int | None = None) -> list[list[str]]:
    with LIAR.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[:limit] if limit else rows


def liar_bytes(limit: int | None = None) -> bytes:
    lines = LIAR.read_bytes().splitlines(keepends=True)
    return b"".join(lines[:limit] if limit else lines)


def post(api, user, body: bytes) -> dict:
    """POST the file, run the job it queued, and return the job with its report's rows."""
    response = api(user).post(URL, body, content_type="text/tab-separated-values")
    assert response.status_code == 202, response.content
    import_job_run(job_id=response.json()["id"])
    job = api(user).get(response["Location"]).json()
    lines = ImportRow.objects.filter(job_id=job["id"]).order_by("row")
    job["rows"] = list(lines.values("row", "line", "status", "claim", "reason", "notes"))
    return job


def test_the_whole_liar_file_imports_with_a_report_line_per_row(api, editor):
    expected = liar_rows()
    assert len(expected) == 1284
    report = post(api, editor, liar_bytes())
    assert (report["status"], report["file_format"], report["mapping"]) == ("done", "csv", "liar")
    assert report["rows_done"] == report["rows_total"] == len(expected)
    rows = report["rows"]
    assert [r["row"] for r in rows] == list(range(1, len(expected) + 1))
    assert [r["line"] for r in rows] == list(range(1, len(expected) + 1))
    counts = report["counts"]
    assert sum(counts.values()) == len(expected)
    assert counts == {s: sum(r["status"] == s for r in rows) for s in counts}
    for row in rows:
        if row["status"] == "rejected":
            assert row["reason"] and row["claim"] is None
        else:
            assert row["claim"] is not None
    # Consistency: one claim per created row, a PolitiFact verdict per imported row.
    assert Claim.objects.count() == counts["created"]
    assert set(Claim.objects.values_list("state", flat=True)) == {ClaimState.NEW}
    imported = counts["created"] + counts["matched"]
    verdicts = ExternalReview.objects.filter(publisher="PolitiFact")
    assert verdicts.count() == imported
    assert verdicts.filter(origin=ExternalReviewOrigin.BULK).count() == imported
    assert Counter(verdicts.values_list("rating", flat=True)) == Counter(
        LABEL_RATING[line[1]]
        for row, line in zip(rows, expected, strict=True)
        if row["status"] != "rejected"
    )
    # Every appearance reproduces its quote from its source's text.
    for appearance in Appearance.objects.select_related("source"):
        assert appearance.source.text[appearance.start : appearance.end] == appearance.quote


def test_a_liar_row_becomes_statement_verdict_topics_and_speaker(api, editor):
    line = liar_rows(3)[2]
    post(api, editor, liar_bytes(3))
    claim = Claim.objects.get(statement=" ".join(line[2].split()))
    verdict = claim.external_reviews.get()
    assert (verdict.publisher, verdict.external_id) == ("PolitiFact", line[0])
    assert (verdict.rating_text, verdict.rating) == (line[1], LABEL_RATING[line[1]])
    subjects = {s.replace("-", " ").lower() for s in line[3].split(",")}
    assert {t.name.lower() for t in claim.topics.all()} == subjects
    appearance = claim.appearances.select_related("speaker", "source").get()
    assert appearance.speaker.name == line[4].replace("-", " ").title()
    assert appearance.speaker.role == line[5]
    if line[13]:
        assert appearance.source.title == line[13]


def test_importing_the_same_rows_twice_matches_instead_of_duplicating(api, editor):
    body = liar_bytes(120)
    first = post(api, editor, body)
    tables = (Claim, Appearance, Source, Speaker, Topic, ExternalReview)
    before = [model.objects.count() for model in tables]
    second = post(api, editor, body)
    assert [model.objects.count() for model in tables] == before
    assert second["counts"] == {
        "created": 0,
        "matched": first["counts"]["created"] + first["counts"]["matched"],
        "rejected": first["counts"]["rejected"],
    }
    assert [r["claim"] for r in second["rows"]] == [r["claim"] for r in first["rows"]]
    assert all(
        "already recorded" in " ".join(r["notes"])
        for r in second["rows"]
        if r["status"] == "matched"
    )


def test_the_import_commits_a_chunk_at_a_time(editor, monkeypatch):
    from claims.bulk import jobs

    committed = []
    real = jobs.rows_import

    def watched(**kwargs):
        committed.append(Claim.objects.count())
        return real(**kwargs)

    monkeypatch.setattr(jobs, "rows_import", watched)
    job = import_file(editor, liar_bytes(25), mapping="liar", chunk_size=10)
    # Each chunk found the one before in the database.
    assert committed == [0, 10, 20]
    assert job.rows_done == 25
    assert Claim.objects.count() == 25
