"""After publication, in the browser: an editor corrects a published verdict on its screen and
the public page shows the correction beside the earlier verdict; a reviewer reads their own
calibration page with the counts behind each figure."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from claims.models import Claim, ClaimState, CorrectionKind, Rating
from tests.browser.conftest import (
    Desk,
    log_in,
    review_with_evidence,
    screenshot,
    triage_and_accept,
    unlabelled_fields,
)
from tests.test_calibration import build_example
from verification import services

pytestmark = pytest.mark.django_db(transaction=True)


def _published(desk: Desk) -> Claim:
    claim = review_with_evidence(desk, triage_and_accept(desk))
    return services.claim_publish(
        actor=desk.other_editor, claim=claim, summary="The budget table gives 3.7 billion."
    )


def test_an_editor_corrects_a_published_verdict_and_the_public_page_shows_both(
    page: Any, desk: Desk
) -> None:
    claim = _published(desk)
    assert claim.state == ClaimState.PUBLISHED
    log_in(page, desk.other_editor.username)
    page.goto(f"/admin/claims/claim/{claim.pk}/change/")
    page.get_by_role("link", name="Correct the verdict").click()

    expect(page.get_by_role("heading", name="What the public reads now")).to_be_visible()
    assert unlabelled_fields(page) == []
    page.get_by_label(re.compile("Correction: the rating")).check()
    page.get_by_role("combobox", name=re.compile("^Rating")).select_option(Rating.MIXED)
    page.get_by_label("Summary for readers").fill("Two tables disagree: 3.7 and 3.9 billion.")
    page.get_by_label("Public note").fill("A second budget table gives another figure.")
    screenshot(page, "correct")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the change").click()
    expect(page.get_by_text(re.compile(r"Correction of claim #\d+ recorded"))).to_be_visible()

    page.goto(f"/fact-checks/{claim.pk}/")
    expect(page.get_by_text("Our rating: Mixed")).to_be_visible()
    corrections = page.get_by_role("region", name="Corrections and updates")
    if corrections.count() == 0:  # a <section> without an accessible name is no region
        corrections = page.locator("#corrections")
    expect(corrections).to_contain_text("A second budget table gives another figure.")
    expect(corrections).to_contain_text("Earlier verdict: Mostly true")
    jsonld = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert jsonld["reviewRating"]["alternateName"] == "Mixed"
    assert "dateModified" in jsonld
    assert Claim.objects.get(pk=claim.pk).corrections.get().kind == CorrectionKind.CORRECTION


def test_a_reviewer_reads_their_calibration_with_the_counts_behind_it(page: Any, settings) -> None:
    settings.CALIBRATION_MIN_CLAIMS = 5
    example = build_example()
    log_in(page, example["r"].username)
    page.goto(f"/admin/calibration/{example['r'].pk}/")

    expect(page.get_by_text("6 claims", exact=False).first).to_be_visible()
    expect(page.get_by_text("3 of 6 (50 %)").first).to_be_visible()
    expect(page.get_by_text("too few claims (4)").first).to_be_visible()
    assert unlabelled_fields(page) == []  # the period form
    screenshot(page, "calibration")
