"""A reviewer can complete the review form with the keyboard alone, and sees where focus is.

From the page's top the reviewer tabs to the rating, picks it by typing, tabs through the
confidence, the rationale and the evidence picker (Space ticks a box) to "Submit review" and
presses Enter. Each control must look different while it has focus from how it looks once
focus has moved on (an outline, a shadow, a border or background that changes).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from claims.models import ClaimState, Confidence, Rating
from tests.browser.conftest import (
    Desk,
    add_graded_evidence,
    log_in,
    screenshot,
    triage_and_accept,
)
from verification.models import Review

pytestmark = pytest.mark.django_db(transaction=True)

# Enough presses to cross the admin's header and sidebar links to any control on the page.
MAX_TABS = 80
# What can mark the focused control: its outline, a shadow, its border or background.
FOCUS_STYLE_JS = """(el) => {
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
          s.borderTopColor, s.borderTopWidth, s.backgroundColor].join(" | ");
}"""


class Keyboard:
    """Tab through a page and check each control the person stops at shows its focus."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def tab_to(self, control: Any, *, name: str) -> None:
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            if control.evaluate("(el) => el === document.activeElement"):
                return
        raise AssertionError(f"{name} cannot be reached with Tab ({MAX_TABS} presses)")

    def leave(self, control: Any, *, name: str, focused_next: Any) -> None:
        """Press Tab to leave ``control`` for ``focused_next``, and check that ``control``
        looked different while it had the focus."""
        with_focus = control.evaluate(FOCUS_STYLE_JS)
        self.page.keyboard.press("Tab")
        expect(focused_next).to_be_focused()
        without_focus = control.evaluate(FOCUS_STYLE_JS)
        assert with_focus != without_focus, (
            f"focus on {name} is invisible: it looks the same with and without it ({with_focus})"
        )


def test_a_reviewer_completes_the_review_form_with_the_keyboard_alone(
    page: Any, desk: Desk
) -> None:
    assignment = triage_and_accept(desk)
    evidence = add_graded_evidence(desk, assignment.claim, title="Budget table")
    log_in(page, desk.reviewer.username)
    page.goto(f"/admin/verification/assignment/{assignment.pk}/review/")
    keyboard = Keyboard(page)
    rating = page.get_by_label("Rating")
    confidence = page.get_by_label("Confidence")
    rationale = page.get_by_label("Rationale")
    cited = page.get_by_role("checkbox", name=evidence.title)
    submit = page.get_by_role("button", name="Submit review")

    keyboard.tab_to(rating, name="Rating")
    # A closed select picks the first option that starts with what is typed.
    page.keyboard.type("Mostly")
    expect(rating).to_have_value(Rating.MOSTLY_TRUE)
    keyboard.leave(rating, name="Rating", focused_next=confidence)
    page.keyboard.type("Mod")
    expect(confidence).to_have_value(Confidence.MODERATE)
    keyboard.leave(confidence, name="Confidence", focused_next=rationale)
    page.keyboard.type("The budget table gives 3.7 billion a year.")
    keyboard.tab_to(cited, name=f"the evidence {evidence.title!r}")
    page.keyboard.press("Space")
    expect(cited).to_be_checked()
    screenshot(page, "review_form_keyboard")
    with_focus = cited.evaluate(FOCUS_STYLE_JS)
    keyboard.tab_to(submit, name="Submit review")
    assert cited.evaluate(FOCUS_STYLE_JS) != with_focus, "focus on the evidence box is invisible"
    with_focus = submit.evaluate(FOCUS_STYLE_JS)
    page.keyboard.press("Shift+Tab")
    assert submit.evaluate(FOCUS_STYLE_JS) != with_focus, "focus on Submit review is invisible"
    page.keyboard.press("Tab")
    expect(submit).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text(f"Your review of claim #{assignment.claim_id} is in")).to_be_visible()
    review = Review.objects.get(assignment=assignment)
    assert (review.rating, review.confidence) == (Rating.MOSTLY_TRUE, Confidence.MODERATE)
    assert review.rationale == "The budget table gives 3.7 billion a year."
    assert list(review.evidence.all()) == [evidence]
    review.claim.refresh_from_db()
    assert review.claim.state == ClaimState.IN_REVIEW
