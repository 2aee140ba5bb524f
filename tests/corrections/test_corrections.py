"""Corrections: a changed verdict is shown as a correction (or an update, or a withdrawal) with
the earlier verdict, the date and the public note, on the public page and in the ClaimReview;
never silently replaced. A reopened claim keeps its verdict public until its new sign-off."""

from __future__ import annotations

import datetime as dt
import json
import re
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.claimreview import claim_review_jsonld, published_claim_reviews
from claims.exceptions import WorkflowConflict
from claims.models import Claim, ClaimState, Correction, CorrectionKind, Rating
from claims.roles import Role
from tests import factories
from tests.conftest import submit_review
from verification import services
from verification.models import EmailKind, EmailLog, WorkflowAction

pytestmark = pytest.mark.django_db

FIRST = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 4, 10, 15, 30, tzinfo=dt.UTC)


def _jsonld_of_page(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "the page carries no JSON-LD"
    return json.loads(found.group(1))


@pytest.fixture
def published(claim_in_review, other_editor) -> Claim:
    with mock.patch("django.utils.timezone.now", return_value=FIRST):
        return services.claim_publish(
            actor=other_editor, claim=claim_in_review, summary="The budget table shows it."
        )


def test_a_correction_keeps_the_earlier_verdict_visible_on_the_page_and_in_the_jsonld(
    announced, client, published, other_editor
):
    with mock.patch("django.utils.timezone.now", return_value=LATER):
        correction = services.claim_correct(
            actor=other_editor,
            claim=published,
            rating=Rating.MOSTLY_TRUE,
            summary="The table counts two years, not one.",
            note="We misread the budget table: the figure covers two fiscal years.",
        )

    claim = Claim.objects.get(pk=published.pk)
    assert (claim.state, claim.published_rating, claim.published_at) == (
        ClaimState.PUBLISHED,
        Rating.MOSTLY_TRUE,
        FIRST,  # first publication stays the date of the fact check
    )
    assert (correction.kind, correction.previous_rating, correction.rating) == (
        CorrectionKind.CORRECTION,
        Rating.TRUE,
        Rating.MOSTLY_TRUE,
    )
    assert correction.previous_summary == "The budget table shows it."

    response = client.get(reverse("factcheck-detail", args=[claim.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Our rating: Mostly true" in page
    assert "Corrections and updates" in page
    assert "We misread the budget table" in page
    assert "Earlier verdict: True" in page
    assert "The budget table shows it." in page  # the earlier summary, kept

    document = _jsonld_of_page(page)
    assert document == claim_review_jsonld(next(iter(published_claim_reviews())))
    assert document["reviewRating"]["alternateName"] == "Mostly true"
    assert document["datePublished"] == "2026-03-02"
    assert document["dateModified"] == LATER.isoformat()
    assert document["reviewBody"].startswith("The table counts two years, not one.")
    assert (
        "Correction (2026-04-10): We misread the budget table: the figure covers two fiscal "
        "years. Earlier rating: True." in document["reviewBody"]
    )
    event = claim.events.get(action=WorkflowAction.CORRECT)
    assert event.actor == other_editor
    assert "True → Mostly true" in event.note
    assert announced == [
        (claim.pk, "published", announced[0][2]),
        (claim.pk, "corrected", event.pk),
    ]


def test_the_claims_reviewers_and_submitter_are_emailed_about_a_correction(
    published, other_editor, reviewer, submitter
):
    correction = services.claim_correct(
        actor=other_editor, claim=published, rating=Rating.MIXED, note="A second source differs."
    )

    emails = EmailLog.objects.filter(kind=EmailKind.CORRECTED)
    assert sorted(e.recipient for e in emails) == sorted([reviewer.email, submitter.email])
    message = emails.first()
    assert f"corrected:{correction.pk}:" in message.key
    assert "now rated Mixed" in message.subject
    assert "Earlier rating: True" in message.body_text
    assert "A second source differs." in message.body_text


def test_an_update_keeps_the_rating_and_is_listed_as_an_update(client, published, editor):
    services.claim_update(
        actor=editor,
        claim=published,
        summary="The budget table (page 4) shows it.",
        note="Added the page number.",
    )

    claim = Claim.objects.get(pk=published.pk)
    assert (claim.published_rating, claim.published_summary) == (
        Rating.TRUE,
        "The budget table (page 4) shows it.",
    )
    correction = claim.corrections.get()
    assert (correction.kind, correction.rating_changed) == (CorrectionKind.UPDATE, False)
    assert claim.events.filter(action=WorkflowAction.UPDATE).count() == 1
    document = claim_review_jsonld(published_claim_reviews().get(pk=claim.pk))
    assert "Update (" in document["reviewBody"]
    assert "Earlier rating" not in document["reviewBody"]
    page = client.get(reverse("factcheck-detail", args=[claim.pk])).content.decode()
    assert "<strong>Update</strong>" in page


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rating": Rating.FALSE, "note": "  "}, "correction_note"),
        ({"rating": Rating.TRUE, "note": "Same again."}, "summary"),  # nothing changed
        ({"rating": "nonsense", "note": "Why not."}, "rating"),
    ],
)
def test_a_correction_that_says_nothing_or_changes_nothing_is_refused_and_saves_nothing(
    published, other_editor, kwargs, field
):
    with pytest.raises(ValidationError) as refused:
        services.claim_correct(actor=other_editor, claim=published, **kwargs)

    assert field in refused.value.message_dict
    claim = Claim.objects.get(pk=published.pk)
    assert (claim.published_rating, claim.corrections.count()) == (Rating.TRUE, 0)


def test_a_reviewer_of_the_claim_may_not_correct_its_rating(published, reviewer):
    factories._add_roles(reviewer, True, [Role.EDITOR])
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)  # roles are cached on the user
    with pytest.raises(WorkflowConflict, match="another editor must correct its rating"):
        services.claim_correct(
            actor=reviewer, claim=published, rating=Rating.FALSE, note="I was wrong."
        )
    assert Correction.objects.count() == 0


def test_only_a_published_verdict_is_corrected(claim_in_review, editor):
    with pytest.raises(WorkflowConflict, match="only a published verdict is corrected"):
        services.claim_correct(
            actor=editor, claim=claim_in_review, rating=Rating.FALSE, note="Not yet out."
        )


def _second_round(claim: Claim, editor, second_reviewer, rating: str) -> Claim:
    assignment = services.assignment_create(actor=editor, claim=claim, reviewer=second_reviewer)
    submit_review(
        second_reviewer,
        assignment,
        rating,
        "moderate",
        "The new figures change the picture.",
        list(claim.evidence.all()),
    )
    return Claim.objects.get(pk=claim.pk)


def test_a_reopened_claim_stays_public_under_review_until_its_new_signoff_corrects_it(
    announced, client, published, editor, other_editor, second_reviewer
):
    services.claim_reopen(actor=editor, claim=published, reason="New budget figures are out.")

    # Meanwhile the public page and the feed keep the verdict, marked under review again.
    response = client.get(reverse("factcheck-detail", args=[published.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Under review again" in page
    assert _jsonld_of_page(page)["reviewRating"]["alternateName"] == "True"
    feed = client.get(reverse("claimreview-feed")).json()
    assert [e["url"].rsplit("/", 2)[-2] for e in feed["dataFeedElement"]] == [str(published.pk)]

    in_review = _second_round(published, editor, second_reviewer, Rating.MOSTLY_FALSE)
    assert in_review.state == ClaimState.IN_REVIEW
    # The new sign-off replaces a public verdict: it needs its public note.
    with pytest.raises(ValidationError) as refused:
        services.claim_publish(actor=other_editor, claim=in_review)
    assert "correction_note" in refused.value.message_dict
    assert Claim.objects.get(pk=published.pk).state == ClaimState.IN_REVIEW

    with mock.patch("django.utils.timezone.now", return_value=LATER):
        services.claim_publish(
            actor=other_editor,
            claim=in_review,
            summary="The new figures are a third lower.",
            correction_note="New budget figures released in April are a third lower.",
        )

    claim = Claim.objects.get(pk=published.pk)
    assert (claim.state, claim.published_rating, claim.published_at) == (
        ClaimState.PUBLISHED,
        Rating.MOSTLY_FALSE,
        FIRST,
    )
    correction = claim.corrections.get()
    assert (correction.kind, correction.previous_rating, correction.review_round) == (
        CorrectionKind.CORRECTION,
        Rating.TRUE,
        2,
    )
    page = client.get(reverse("factcheck-detail", args=[claim.pk])).content.decode()
    assert "Under review again" not in page
    assert "New budget figures released in April" in page
    assert "Earlier verdict: True" in page
    document = _jsonld_of_page(page)
    assert (document["datePublished"], document["dateModified"]) == (
        "2026-03-02",
        LATER.isoformat(),
    )
    assert [event for _, event, _ in announced] == ["published", "reopened", "corrected"]


def test_a_withdrawn_fact_check_keeps_a_page_with_the_notice_and_leaves_the_feed(
    announced, client, published, editor
):
    services.claim_retract(
        actor=editor, claim=published, note="The quote was not the minister's; it was satire."
    )

    claim = Claim.objects.get(pk=published.pk)
    assert (claim.state, claim.published_at, claim.published_rating) == (
        ClaimState.DISMISSED,
        None,
        "",
    )
    withdrawal = claim.corrections.get()
    assert (withdrawal.kind, withdrawal.previous_rating, withdrawal.rating) == (
        CorrectionKind.WITHDRAWAL,
        Rating.TRUE,
        "",
    )
    response = client.get(reverse("factcheck-detail", args=[claim.pk]))
    assert response.status_code == 410
    page = response.content.decode()
    assert "We withdrew this fact check" in page
    assert "it was satire" in page
    assert "Earlier verdict: True" in page
    assert "application/ld+json" not in page
    api = client.get(reverse("claimreview-detail", args=[claim.pk]))
    assert api.status_code == 410
    assert "withdrawn" in api.json()["error"]["message"]
    assert client.get(reverse("claimreview-feed")).json()["dataFeedElement"] == []
    assert claim.events.filter(action=WorkflowAction.RETRACT).count() == 1
    assert [event for _, event, _ in announced] == ["published", "withdrawn"]


def test_a_claim_never_published_is_still_a_404(client, claim_in_review):
    assert client.get(reverse("factcheck-detail", args=[claim_in_review.pk])).status_code == 404


def test_a_new_signoff_after_a_reopen_sends_the_correction_email_only(
    published, editor, other_editor, second_reviewer, reviewer
):
    services.claim_reopen(actor=editor, claim=published, reason="New figures.")
    in_review = _second_round(published, editor, second_reviewer, Rating.MIXED)
    before = set(EmailLog.objects.values_list("pk", flat=True))

    services.claim_publish(actor=other_editor, claim=in_review, correction_note="New table.")

    new = EmailLog.objects.exclude(pk__in=before)
    assert {e.kind for e in new} == {EmailKind.CORRECTED}
    assert {e.recipient for e in new} >= {reviewer.email, second_reviewer.email}
