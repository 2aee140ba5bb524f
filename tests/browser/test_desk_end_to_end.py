"""One claim's whole way through the desk, in a browser, as the desk's people do it.

An editor follows the overview's count of new claims to the list, triages the claim there and
sees it assigned; the reviewer accepts it on "My work", adds graded evidence and submits a
review citing it; another editor signs it off with a final rating and a summary; the public
page then carries the ClaimReview. Each screen is photographed (see ``conftest.screenshot``);
``test_form_labels`` checks the labels of their fields.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from claims.models import Claim, ClaimState, Rating
from tests.browser.conftest import Desk, claims_in_state, log_in, screenshot
from verification.models import Assignment, AssignmentState, Evidence, Review

pytestmark = pytest.mark.django_db(transaction=True)

SUMMARY = "The budget puts the aid at 3.7 billion dollars a year; the minister rounded up."


def test_a_claim_goes_from_triage_to_a_published_claimreview(page: Any, desk: Desk) -> None:
    claim = desk.claim

    # An editor starts on the overview and triages the new claim from the claim list.
    log_in(page, desk.editor.username)
    triage_from_overview(page, claim)

    # Automatic assignment (Celery, eager here) offered it to the reviewer whose field it is.
    assignment = Assignment.objects.get(claim=claim)
    assert assignment.reviewer == desk.reviewer
    assert assignment.state == AssignmentState.OFFERED
    assert any(desk.reviewer.email in message.to for message in mail.outbox)
    # The claim page lists the assignment with the email that told the reviewer.
    page.goto(f"/admin/claims/claim/{claim.pk}/change/")
    assignments = page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="Emails")
    )
    assigned = (
        assignments.get_by_role("row")
        .filter(has_text="assigned automatically")
        .filter(has_text=re.compile(rf"\b{desk.reviewer.username}\b"))  # not the header
    )
    expect(assigned).to_contain_text("Offered")
    expect(assigned).to_contain_text(re.compile(rf"to {re.escape(desk.reviewer.email)}:\s+sent"))
    screenshot(page, "story-2-claim-page")

    # The reviewer accepts it, adds evidence with its grades and reviews with it.
    log_in(page, desk.reviewer.username)
    accept_on_my_work(page, claim)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED
    open_review_form(page, claim)
    add_evidence(page, title="Budget table 2024", url="https://records.example/budget-2024")
    evidence = Evidence.objects.get(claim=claim)
    assert (evidence.source_reliability, evidence.credibility) == ("A", 2)
    screenshot(page, "story-4-review-form")
    submit_review(page, evidence_title=evidence.title)
    review = Review.objects.get(claim=claim)
    assert review.rating == Rating.MOSTLY_TRUE
    assert list(review.evidence.all()) == [evidence]
    claim.refresh_from_db()
    assert claim.state == ClaimState.IN_REVIEW

    # Another editor (not the one who triaged it) signs it off.
    log_in(page, desk.other_editor.username)
    sign_off(page, claim)
    claim.refresh_from_db()
    assert claim.state == ClaimState.PUBLISHED
    assert (claim.published_rating, claim.published_summary) == (Rating.MOSTLY_TRUE, SUMMARY)
    assert claim.published_by == desk.other_editor

    # The public page carries the ClaimReview the sign-off screen previewed.
    review_document = public_claim_review(page, claim)
    assert review_document["claimReviewed"] == claim.statement
    assert review_document["reviewRating"]["alternateName"] == "Mostly true"
    assert review_document["reviewBody"] == SUMMARY

    # Back on the overview, the desk's figures count the published verdict.
    page.goto("/admin/")
    expect(claims_in_state(page, "Published")).to_have_text("1")
    expect(claims_in_state(page, "New")).to_have_text("0")
    screenshot(page, "story-7-overview-after")


# --- The steps, one screen each ------------------------------------------------------------


def triage_from_overview(page: Any, claim: Claim) -> None:
    """The overview's count of new claims links to the claim list filtered to them; the editor
    follows it and triages the claim with the list's action."""
    page.goto("/admin/")
    new_claims = claims_in_state(page, "New")
    expect(new_claims).to_have_text("1")
    screenshot(page, "story-1-overview")
    new_claims.click()
    expect(page).to_have_url(re.compile(r"/admin/claims/claim/\?.*state\w*=new"))
    page.get_by_role("checkbox", name=re.compile(re.escape(str(claim)))).check()
    page.get_by_role("combobox", name=re.compile(r"^Action")).select_option(
        label="Triage the selected claims"
    )
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Triaged 1 claim.")).to_be_visible()


def accept_on_my_work(page: Any, claim: Claim) -> None:
    page.goto("/admin/verification/assignment/mine/")
    row = my_work_row(page, claim)
    # The quote in its context, not only the claim's neutral statement.
    expect(row).to_contain_text("The minister said the aid was worth")
    screenshot(page, "story-3-my-work")
    row.get_by_role("button", name="Accept").click()
    expect(my_work_row(page, claim).get_by_role("button", name="Accept")).to_have_count(0)


def my_work_row(page: Any, claim: Claim) -> Any:
    """The part of "My work" about one claim: an article headed "Claim #N: …"."""
    return page.get_by_role("article", name=re.compile(rf"^Claim #{claim.pk}:"))


def open_review_form(page: Any, claim: Claim) -> None:
    page.goto("/admin/verification/assignment/mine/")
    my_work_row(page, claim).get_by_role("link", name="Write your review").click()
    expect(page.get_by_role("button", name="Submit review")).to_be_visible()


def add_evidence(page: Any, *, title: str, url: str) -> None:
    """Fill the review form's "Add evidence" form: a source graded A (reliable), the
    information graded 2 (probably true)."""
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add evidence"))
    form.get_by_label("Title").fill(title)
    form.get_by_label("URL").fill(url)
    form.get_by_label("Stance").select_option(label="Supports")
    form.get_by_label(re.compile("reliability", re.I)).select_option(value="A")
    form.get_by_label(re.compile("credibility", re.I)).select_option(value="2")
    form.get_by_role("button", name="Add evidence").click()
    # The new evidence is offered in the review form's picker, with its grade.
    expect(page.get_by_role("checkbox", name=re.compile(re.escape(title)))).to_be_visible()


def submit_review(page: Any, *, evidence_title: str) -> None:
    page.get_by_label("Rating").select_option(label="Mostly true")
    page.get_by_label("Confidence").select_option(value="high")
    page.get_by_label("Rationale").fill("The budget table gives 3.7 billion; close to the claim.")
    page.get_by_role("checkbox", name=re.compile(re.escape(evidence_title))).check()
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text(re.compile(r"Your review of claim #\d+ is in"))).to_be_visible()


def sign_off(page: Any, claim: Claim) -> None:
    page.goto(f"/admin/claims/claim/{claim.pk}/signoff/")
    # The reviewers' consensus is the rating proposed.
    expect(page.get_by_label("Final rating")).to_have_value(Rating.MOSTLY_TRUE)
    preview = json.loads(page.get_by_label(re.compile(r"\(JSON-LD\)$")).inner_text())
    assert preview["claimReviewed"] == claim.statement
    assert preview["reviewRating"]["alternateName"] == "Mostly true"
    page.get_by_label("Summary for readers").fill(SUMMARY)
    expect(page.get_by_role("button", name="Send back")).to_be_visible()
    screenshot(page, "story-5-signoff")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text(f"Claim #{claim.pk} is published as Mostly true.")).to_be_visible()


def public_claim_review(page: Any, claim: Claim) -> dict[str, Any]:
    """Follow the sign-off message's link to the public page; return its ClaimReview."""
    page.get_by_role("link", name="Read the public fact check").click()
    expect(page).to_have_url(re.compile(rf"/fact-checks/{claim.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(claim.statement)
    screenshot(page, "story-6-factcheck")
    return json.loads(page.locator('script[type="application/ld+json"]').text_content())
