"""The sign-off screen puts a claim's reviews side by side and says plainly where they
disagree, before the editor publishes."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from claims.models import Rating
from tests.browser.conftest import BusyDesk, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_signoff_screen_shows_where_the_reviewers_disagree(
    page: Any, busy_desk: BusyDesk
) -> None:
    claim = busy_desk.disputed
    assert claim.consensus_rating == Rating.MOSTLY_TRUE
    log_in(page, busy_desk.desk.other_editor.username)
    page.goto(f"/admin/claims/claim/{claim.pk}/signoff/")

    expect(page.get_by_text("The reviewers disagree")).to_be_visible()
    reviews = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=re.compile("^Review by"))
    )
    expect(reviews).to_have_count(2)
    # Only the "true" review departs from the consensus (mostly true), and it says so.
    differing = reviews.filter(has_text="Differs from the consensus")
    expect(differing).to_have_count(1)
    expect(differing).to_contain_text("True")
    expect(page.get_by_label("Final rating")).to_have_value(Rating.MOSTLY_TRUE)
    preview = json.loads(page.get_by_label(re.compile(r"\(JSON-LD\)$")).inner_text())
    assert preview["reviewRating"]["alternateName"] == "Mostly true"
    page.get_by_label("Summary for readers").fill(
        "Wages rose a little faster than prices over the year; one reviewer rated it true."
    )
    screenshot(page, "signoff")
