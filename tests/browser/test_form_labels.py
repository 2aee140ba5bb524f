"""Every form field on the desk's screens has a label a screen reader can announce.

The desk is seeded with one claim waiting for sign-off and one under review, and each person's
screens are visited in turn; the test fails with every unlabelled field of every screen at once,
so that one run tells the whole story.
"""

from __future__ import annotations

from typing import Any

import pytest

from claims import services as claims_services
from claims.models import ClaimState, Priority
from tests.browser.conftest import (
    Desk,
    log_in,
    review_with_evidence,
    screenshot,
    triage_and_accept,
    unlabelled_fields,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_form_field_on_the_desk_screens_has_a_label(page: Any, desk: Desk) -> None:
    waiting = review_with_evidence(desk, triage_and_accept(desk))
    assert waiting.state == ClaimState.IN_REVIEW
    under_review = claims_services.claim_create(
        actor=desk.editor,
        statement="Unemployment fell by a third in two years.",
        priority=Priority.NORMAL,
        topics=[desk.topic],
    )
    assignment = triage_and_accept(desk, under_review)
    screens = {
        None: {"the login page": "/admin/login/"},
        desk.editor.username: {
            "the overview": "/admin/",
            "the claim list": "/admin/claims/claim/",
            "the claim page": f"/admin/claims/claim/{waiting.pk}/change/",
            "the assignment list": "/admin/verification/assignment/",
        },
        desk.reviewer.username: {
            "My work": "/admin/verification/assignment/mine/",
            "the review form": f"/admin/verification/assignment/{assignment.pk}/review/",
        },
        desk.other_editor.username: {
            "the sign-off screen": f"/admin/claims/claim/{waiting.pk}/signoff/",
        },
    }

    problems: dict[str, list[str]] = {}
    for username, urls in screens.items():
        if username is None:
            page.context.clear_cookies()
        else:
            log_in(page, username)
        for screen, url in urls.items():
            response = page.goto(url)
            if response is None or not response.ok:
                problems[f"{screen} ({url})"] = [f"HTTP {response and response.status}"]
            elif page.locator("input, select, textarea").count() == 0:
                problems[f"{screen} ({url})"] = ["no form fields at all (is it the right page?)"]
            elif missing := unlabelled_fields(page):
                problems[f"{screen} ({url})"] = missing
                screenshot(page, f"unlabelled-{url.strip('/').replace('/', '-')}")

    assert not problems, "screens with fields without a label:\n" + "\n".join(
        f"- {screen}: {fields}" for screen, fields in problems.items()
    )
