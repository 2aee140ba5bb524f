"""GET /fact-checks/{id}/: the public page of a published claim, carrying its ClaimReview."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import override_settings

from claims.claimreview import claim_review_jsonld, published_claim_reviews
from claims.models import Rating
from tests.api.test_claimreview_output import DESK, article, publish_claim

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@override_settings(**DESK)
def test_the_page_embeds_the_claims_jsonld(client, editor, other_editor, reviewer):
    claim = publish_claim(
        editor=editor,
        signer=other_editor,
        reviewer=reviewer,
        statement="The ferry carried 2 million passengers last year.",
        rating=Rating.MOSTLY_TRUE,
        places=[article(7, quote="Two million took the ferry.", day=dt.date(2024, 2, 2))],
    )
    response = client.get(f"/fact-checks/{claim.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    blocks = SCRIPT.findall(html)
    assert len(blocks) == 1
    embedded = json.loads(blocks[0])
    assert embedded == claim_review_jsonld(published_claim_reviews().get(pk=claim.pk))
    assert embedded["url"] == f"https://facts.harbour.example/fact-checks/{claim.pk}/"
    assert "Mostly true" in html and claim.statement in html


def test_markup_in_a_statement_cannot_close_the_script(client, editor, other_editor, reviewer):
    statement = 'The sign read "</script><script>alert(1)</script>" & nothing else.'
    claim = publish_claim(
        editor=editor,
        signer=other_editor,
        reviewer=reviewer,
        statement=statement,
        rating=Rating.FALSE,
    )
    html = client.get(f"/fact-checks/{claim.pk}/").content.decode()
    blocks = SCRIPT.findall(html)
    assert len(blocks) == 1
    assert json.loads(blocks[0])["claimReviewed"] == statement
    assert "<script>alert(1)" not in html


def test_the_page_of_an_unpublished_claim_is_not_found(client, claim_in_review):
    assert client.get(f"/fact-checks/{claim_in_review.pk}/").status_code == 404
