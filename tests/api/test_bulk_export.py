"""GET /api/v1/claims/export: claims with their verdicts as CSV or JSON Lines, streamed."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.bulk.export import EXPORT_COLUMNS
from claims.models import Claim
from tests import factories
from tests.api.test_bulk_liar_import import liar_bytes
from tests.imports import import_file

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/export"


def body_of(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def jsonl(response) -> list[dict]:
    return [json.loads(line) for line in body_of(response).splitlines()]


def test_jsonl_export_carries_the_desks_verdict_and_the_external_ones(api, editor, published_claim):
    import_file(editor, liar_bytes(4), mapping="liar")
    response = api(editor).get(URL, {"format": "jsonl"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert response["Content-Disposition"].endswith('.jsonl"')
    rows = {row["id"]: row for row in jsonl(response)}
    assert set(rows) == set(Claim.objects.values_list("pk", flat=True))
    published = rows[published_claim.pk]
    assert published["state"] == "published"
    assert published["consensus_rating"] == published_claim.consensus_rating
    assert published["consensus_confidence"] == published_claim.consensus_confidence
    assert published["published_at"] == published_claim.published_at.isoformat()
    assert list(published) == EXPORT_COLUMNS
    imported = [row for pk, row in rows.items() if pk != published_claim.pk]
    assert len(imported) == 4
    for row in imported:
        (verdict,) = row["external_reviews"]
        assert verdict["publisher"] == "PolitiFact"
        assert verdict["rating"] and verdict["rating_text"] and verdict["external_id"]
        (place,) = row["appearances"]
        assert place["speaker"]["name"] == row["speaker"]
        assert row["topics"]


def test_csv_export_has_a_header_and_a_row_per_claim(api, editor, published_claim):
    import_file(editor, liar_bytes(2), mapping="liar")
    response = api(editor).get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body_of(response))))
    assert len(rows) == 3
    assert list(rows[0]) == EXPORT_COLUMNS
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[published_claim.pk]["consensus_rating"] == published_claim.consensus_rating
    others = [row for pk, row in by_id.items() if pk != published_claim.pk]
    for row in others:
        assert json.loads(row["external_reviews"])[0]["publisher"] == "PolitiFact"
        assert "; " in row["topics"] or row["topics"]


def test_the_export_can_be_limited_to_one_state(api, editor, published_claim):
    waiting = factories.ClaimFactory()
    rows = jsonl(api(editor).get(URL, {"format": "jsonl", "state": "new"}))
    assert [row["id"] for row in rows] == [waiting.pk]


@pytest.mark.parametrize("params", [{"format": "xlsx"}, {"state": "archived"}])
def test_an_unknown_format_or_state_is_a_400(api, editor, params):
    response = api(editor).get(URL, params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("outsider", 403), ("reviewer", 403), ("editor", 200), ("admin", 200)],
)
def test_only_editors_may_export(api, role_user, role, status):
    assert api(role_user(role)).get(URL).status_code == status


def test_the_export_costs_the_same_queries_for_5_and_50_claims(api, editor):
    client = api(editor)
    counts = []
    for total in (5, 50):
        Claim.objects.all().delete()
        for n in range(total):
            claim = factories.ClaimFactory(statement=f"Claim {n} about tides.")
            claim.topics.add(factories.TopicFactory(name="Tides"))
        with CaptureQueriesContext(connection) as queries:
            rows = jsonl(client.get(URL, {"format": "jsonl"}))
        assert len(rows) == total
        counts.append(len(queries))

    assert counts[0] == counts[1]
