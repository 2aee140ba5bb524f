"""The desk overview, the editors' start page: claims by state, each count a link to the list
of those claims, and a topic filter that narrows every figure."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BusyDesk, claims_in_state, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_overview_counts_claims_by_state_and_links_to_them(
    page: Any, busy_desk: BusyDesk
) -> None:
    log_in(page, busy_desk.desk.editor.username)
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Desk overview")).to_be_visible()
    for state, count in busy_desk.counts.items():
        expect(claims_in_state(page, state), f"claims {state}").to_have_text(str(count))
    # The README's picture: the overview, without the admin's list of models below it.
    screenshot(page, "overview", until=page.get_by_role("heading", name="Everything in the admin"))

    claims_in_state(page, "Published").click()
    expect(page).to_have_url(re.compile(r"/admin/claims/claim/\?.*state\w*=published"))
    rows = page.get_by_role("checkbox", name=re.compile("^Select this object for an action"))
    expect(rows).to_have_count(busy_desk.counts["Published"])


def test_the_topic_filter_narrows_the_overview(page: Any, busy_desk: BusyDesk) -> None:
    log_in(page, busy_desk.desk.editor.username)
    page.goto("/admin/")
    page.get_by_label("Topic").select_option(label="Health")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text(re.compile(r"Showing claims on\s+Health"))).to_be_visible()
    # Of the desk's claims only one is on health, and it is published.
    expect(claims_in_state(page, "Published")).to_have_text("1")
    expect(claims_in_state(page, "New")).to_have_text("0")
