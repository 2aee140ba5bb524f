"""Under the desk's Content-Security-Policy, in Chromium: the dashboard's pages, their charts,
the admin's own scripts and Swagger UI work, and the browser refuses nothing; a claim whose
words carry scripts runs none of them, on the dashboard or the public fact check."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from claims import services as claims_services
from claims.models import Attribution, Priority
from tests import factories
from tests.browser.conftest import BusyDesk, Desk, log_in, review_with_evidence, triage_and_accept
from tests.security.test_untrusted_pages import ATTRIBUTE, CLOSE, HOSTILE, HOSTILE_URL, SCRIPT
from verification import services as verification_services

pytestmark = pytest.mark.django_db(transaction=True)

# Installed before any page script: every refusal the browser reports, and every run of the
# payloads (they set window.__xss).
WATCH = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__refused.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


def watched(page: Any) -> list[str]:
    """The console's errors as they come; ``page`` now reports CSP refusals too."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.add_init_script(WATCH)
    return errors


def refused(page: Any) -> list[str]:
    return page.evaluate("window.__refused")


def test_the_dashboard_works_and_nothing_is_refused(page: Any, busy_desk: BusyDesk) -> None:
    errors = watched(page)
    desk = busy_desk.desk
    log_in(page, desk.editor.username)

    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Desk overview")).to_be_visible()
    expect(page.locator("svg.desk-chart").first).to_be_visible()
    assert refused(page) == []

    # The admin's own scripts run: "select all" on the claim list ticks every row.
    page.goto("/admin/claims/claim/")
    page.get_by_role("checkbox", name="Select all objects on this page for an action").check()
    rows = page.get_by_role("checkbox", name=re.compile("^Select this object for an action"))
    expect(rows.first).to_be_checked()
    expect(rows.last).to_be_checked()
    assert refused(page) == []

    log_in(page, desk.other_editor.username)
    page.goto(f"/admin/claims/claim/{busy_desk.disputed.pk}/signoff/")
    expect(page.get_by_text("The reviewers disagree")).to_be_visible()
    page.goto(f"/admin/claims/claim/{busy_desk.disputed.pk}/change/")
    expect(page.get_by_role("heading", name=re.compile("Change claim"))).to_be_visible()
    assert refused(page) == []

    page.goto("/api/docs/")
    expect(page.get_by_role("heading", name=re.compile("Claims desk API"))).to_be_visible()
    assert refused(page) == []
    assert [e for e in errors if "Content Security Policy" in e] == []


def hostile_claim(desk: Desk) -> Any:
    source = factories.SourceFactory(
        title=f"{ATTRIBUTE} {CLOSE}",
        url=HOSTILE_URL,
        text=f"Intro. {HOSTILE} Outro.",
    )
    return claims_services.claim_create(
        actor=desk.editor,
        statement=HOSTILE,
        priority=Priority.NORMAL,
        topics=[desk.topic],
        appearances=[
            claims_services.AppearanceData(
                source=source,
                quote=HOSTILE,
                start=source.text.index(HOSTILE),
                speaker=factories.SpeakerFactory(name=f"Ann {SCRIPT}{ATTRIBUTE}", role=CLOSE),
                attribution=Attribution.SAID,
            )
        ],
    )


def test_a_claim_carrying_scripts_runs_none_of_them(page: Any, desk: Desk) -> None:
    watched(page)
    claim = hostile_claim(desk)
    assignment = triage_and_accept(desk, claim)
    claim = review_with_evidence(desk, assignment)
    in_review = claim.pk
    log_in(page, desk.other_editor.username)
    for url in ("/admin/", "/admin/claims/claim/", f"/admin/claims/claim/{in_review}/change/"):
        page.goto(url)
        assert page.evaluate("window.__xss") is None, url
        assert refused(page) == [], url
    page.goto(f"/admin/claims/claim/{in_review}/signoff/")
    expect(page.get_by_text(SCRIPT).first).to_be_visible()  # the words, shown as words
    assert page.evaluate("window.__xss") is None and refused(page) == []

    verification_services.claim_publish(actor=desk.other_editor, claim=claim, summary=HOSTILE)
    page.context.clear_cookies()
    page.goto(f"/fact-checks/{in_review}/")
    expect(page.get_by_role("heading", name=HOSTILE)).to_be_visible()
    assert page.evaluate("window.__xss") is None and refused(page) == []
