"""The review form shows the service's refusals in plain words, and a refused review saves
nothing: a firm rating needs evidence."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from claims.models import ClaimState
from tests.browser.conftest import Desk, log_in, screenshot, triage_and_accept
from verification.models import AssignmentState, Review

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_firm_rating_without_evidence_is_refused_in_plain_words(page: Any, desk: Desk) -> None:
    assignment = triage_and_accept(desk)
    log_in(page, desk.reviewer.username)
    page.goto(f"/admin/verification/assignment/{assignment.pk}/review/")

    page.get_by_label("Rating").select_option(label="True")
    page.get_by_label("Confidence").select_option(value="high")
    page.get_by_label("Rationale").fill("I am sure of it.")
    page.get_by_role("button", name="Submit review").click()

    expect(
        page.get_by_text("A rating of 'True' must cite at least one piece of evidence")
    ).to_be_visible()
    # What the reviewer typed is still there to correct.
    expect(page.get_by_label("Rationale")).to_have_value("I am sure of it.")
    screenshot(page, "review_form_refused")
    assert not Review.objects.exists()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED
    assignment.claim.refresh_from_db()
    assert assignment.claim.state == ClaimState.IN_RESEARCH
