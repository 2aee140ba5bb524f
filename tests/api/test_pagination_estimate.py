"""A numbered list never counts more than EXACT_COUNT_LIMIT rows: past it, the count is
PostgreSQL's estimate and the response says so in a header (config.api.pagination)."""

from __future__ import annotations

import pytest
from django.db import connection

from config.api import pagination
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def five_claims(editor):
    for n in range(5):
        factories.ClaimFactory(statement=f"Claim {n} about ferries.", submitted_by=editor)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")


def test_a_list_up_to_the_limit_is_counted_exactly(api, editor, five_claims, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 5)
    response = api(editor).get("/api/v1/claims/?page_size=2")
    assert response.json()["count"] == 5
    assert pagination.ESTIMATE_HEADER not in response


def test_a_longer_list_gives_the_planners_estimate_and_says_so(
    api, editor, five_claims, monkeypatch
):
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 3)
    response = api(editor).get("/api/v1/claims/?page_size=2")
    assert response.status_code == 200
    assert response[pagination.ESTIMATE_HEADER] == "true"
    # Never below what was counted (4 rows past the limit of 3); freshly analysed, exact here.
    assert response.json()["count"] == 5
    assert len(response.json()["results"]) == 2


def test_a_filtered_list_past_the_limit_is_estimated_too(api, editor, five_claims, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 3)
    response = api(editor).get("/api/v1/claims/?state=new&page_size=2")
    assert response[pagination.ESTIMATE_HEADER] == "true"
    assert response.json()["count"] >= 4
