"""GET /api/v1/claimreview/: every published claim as ClaimReview, a DataFeed a page at a time."""

from __future__ import annotations

import datetime as dt

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.api.claimreview_serializers import CLAIM_REVIEW_FEED_SCHEMA
from claims.claimreview import claimreview_import
from claims.models import Claim, Rating
from tests.api.test_claimreview_output import article, publish_claim

pytestmark = pytest.mark.django_db

FEED = "/api/v1/claimreview/"


@pytest.fixture
def publish(editor, other_editor, reviewer):
    """``publish(n)``: n published claims, alternating ratings, one appearance each."""

    def make(count: int, start: int = 0) -> list[Claim]:
        ratings = Rating.values
        return [
            publish_claim(
                editor=editor,
                signer=other_editor,
                reviewer=reviewer,
                statement=f"Claim number {n} about the harbour.",
                rating=ratings[n % len(ratings)],
                places=[article(n, quote=f"Quote number {n}.", day=dt.date(2024, 1, 1 + n % 28))],
            )
            for n in range(start, start + count)
        ]

    return make


def test_the_feed_lists_only_published_claims_newest_first(api, publish, new_claim, triaged_claim):
    claims = publish(3)
    response = api(None).get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    feed = response.json()
    assert feed["@context"] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    items = [element["item"][0] for element in feed["dataFeedElement"]]
    assert [item["claimReviewed"] for item in items] == [c.statement for c in reversed(claims)]
    assert all(item["@type"] == "ClaimReview" for item in items)
    assert all("@context" not in item for item in items)  # the feed's context covers them
    assert new_claim.statement not in {item["claimReviewed"] for item in items}
    jsonschema.validate(feed, CLAIM_REVIEW_FEED_SCHEMA, format_checker=jsonschema.FormatChecker())


def test_the_feed_is_paginated_with_link_headers(api, publish):
    publish(5)
    first = api(None).get(FEED, {"page_size": 2})
    assert len(first.json()["dataFeedElement"]) == 2
    assert 'rel="next"' in first["Link"] and 'rel="prev"' not in first["Link"]
    next_url = first["Link"].split(">")[0].lstrip("<")
    second = api(None).get(next_url)
    assert 'rel="prev"' in second["Link"]
    last = api(None).get(FEED, {"page_size": 2, "page": 3})
    assert len(last.json()["dataFeedElement"]) == 1
    assert 'rel="next"' not in last.get("Link", "")
    seen = [
        e["item"][0]["claimReviewed"]
        for page in (first, second, last)
        for e in page.json()["dataFeedElement"]
    ]
    assert len(set(seen)) == 5


def test_the_feed_walks_by_cursor_without_repeating(api, publish):
    publish(4)
    page = api(None).get(FEED, {"cursor": "", "page_size": 3})
    seen = [e["item"][0]["claimReviewed"] for e in page.json()["dataFeedElement"]]
    next_url = page["Link"].split(">")[0].lstrip("<")
    seen += [
        e["item"][0]["claimReviewed"] for e in api(None).get(next_url).json()["dataFeedElement"]
    ]
    assert len(seen) == len(set(seen)) == 4


@pytest.mark.parametrize("params", [{"page_size": "0"}, {"page_size": "many"}])
def test_a_bad_page_size_is_a_400_in_the_error_shape(api, params):
    response = api(None).get(FEED, params)
    assert response.status_code == 400
    assert response.json()["error"]["fields"].keys() == {"page_size"}


def test_a_page_past_the_end_is_a_404(api, publish):
    publish(1)
    assert api(None).get(FEED, {"page": 9}).status_code == 404


def test_the_feed_costs_the_same_queries_at_page_size_5_and_50(api, publish):
    publish(50)
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = api(None).get(FEED, {"page_size": size})
        assert len(response.json()["dataFeedElement"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_desks_own_feed_imports_back_as_the_same_claims(api, publish, editor):
    claims = publish(3)
    feed = api(None).get(FEED).json()
    report = claimreview_import(actor=editor, payload=feed)
    assert report.counts == {"created": 0, "matched": 3, "rejected": 0}
    assert {item.claim for item in report.items} == {c.pk for c in claims}
    assert Claim.objects.count() == 3
