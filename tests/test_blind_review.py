"""Blind review: a reviewer cannot see other reviewers' verdicts on a claim until their own
review of the current round is in. Editors see every verdict; a published verdict is public.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from claims.models import Claim
from tests.conftest import submit_review
from verification import selectors, services
from verification.models import Assignment, Evidence, Review
from verification.selectors import reviews_visible_to

pytestmark = pytest.mark.django_db


def _review(actor, assignment: Assignment, item: Evidence, rating: str = "true") -> Review:
    return submit_review(
        actor, assignment, rating, "moderate", "The act states the figure.", [item]
    )


def can_see_verdicts(user, claim: Claim) -> bool:
    """The rule for one claim (the claim page) and its list form (the annotation every list
    reads), asserted to agree, so each case below checks both."""
    one = selectors.can_see_verdicts(user, claim)
    listed = (
        Claim.objects.filter(pk=claim.pk)
        .annotate(seen=selectors.verdict_visibility(user))
        .values_list("seen", flat=True)
        .get()
    )
    assert one == listed, f"claim page says {one}, lists say {listed}"
    return one


def _visible(user, claim: Claim) -> set[int]:
    return set(reviews_visible_to(user).filter(claim=claim).values_list("pk", flat=True))


def test_a_reviewer_sees_their_own_review_but_not_the_others_before_submitting(
    two_reviewer_claim, reviewer, second_reviewer
):
    claim, first, _second, item = two_reviewer_claim
    mine = _review(reviewer, first, item)

    assert _visible(second_reviewer, claim) == set()
    assert not can_see_verdicts(second_reviewer, Claim.objects.get(pk=claim.pk))
    # The first reviewer sees their own verdict, but the other's does not exist yet.
    assert _visible(reviewer, claim) == {mine.pk}


def test_a_reviewer_sees_the_others_verdicts_once_their_own_is_in(
    two_reviewer_claim, reviewer, second_reviewer
):
    claim, first, second, item = two_reviewer_claim
    theirs = _review(reviewer, first, item, "true")

    mine = _review(second_reviewer, second, item, "mostly_true")

    assert _visible(second_reviewer, claim) == {theirs.pk, mine.pk}
    assert _visible(reviewer, claim) == {theirs.pk, mine.pk}
    assert can_see_verdicts(second_reviewer, Claim.objects.get(pk=claim.pk))


def test_an_editor_sees_every_verdict_at_any_time(two_reviewer_claim, reviewer, editor):
    claim, first, _second, item = two_reviewer_claim
    assert can_see_verdicts(editor, claim)

    review = _review(reviewer, first, item)

    assert _visible(editor, claim) == {review.pk}
    assert can_see_verdicts(editor, Claim.objects.get(pk=claim.pk))


def test_someone_off_the_desk_sees_no_unpublished_verdicts(two_reviewer_claim, reviewer, outsider):
    claim, first, _second, item = two_reviewer_claim
    _review(reviewer, first, item)

    assert _visible(outsider, claim) == set()
    assert not can_see_verdicts(outsider, Claim.objects.get(pk=claim.pk))


def test_an_anonymous_visitor_sees_no_reviews(claim_in_review):
    assert not reviews_visible_to(AnonymousUser()).exists()
    assert not can_see_verdicts(AnonymousUser(), claim_in_review)


def test_a_published_verdict_can_be_shown_to_anyone(published_claim, outsider):
    assert can_see_verdicts(AnonymousUser(), published_claim)
    assert can_see_verdicts(outsider, published_claim)


def test_a_new_round_is_blind_again_for_the_last_rounds_reviewers(
    two_reviewer_claim, reviewer, second_reviewer, editor
):
    claim, first, second, item = two_reviewer_claim
    first_review = _review(reviewer, first, item, "true")
    second_review = _review(second_reviewer, second, item, "false")
    services.claim_send_back(actor=editor, claim=claim, note="Reviewers disagree; look again.")
    claim.refresh_from_db()
    assert claim.review_round == 2

    # Neither has reviewed round 2: each sees only their own earlier verdict.
    assert _visible(reviewer, claim) == {first_review.pk}
    assert _visible(second_reviewer, claim) == {second_review.pk}
    assert not can_see_verdicts(reviewer, claim)

    reoffer = Assignment.objects.get(claim=claim, reviewer=reviewer, review_round=2)
    new_review = _review(reviewer, reoffer, item, "mixed")

    assert _visible(reviewer, claim) == {first_review.pk, second_review.pk, new_review.pk}
    assert _visible(second_reviewer, claim) == {second_review.pk}
    assert not can_see_verdicts(second_reviewer, Claim.objects.get(pk=claim.pk))
