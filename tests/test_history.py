"""History (django-simple-history): who changed what, and when, on claims, appearances,
evidence, reviews and assignments, whichever door the change came through.
"""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from simple_history.middleware import HistoryRequestMiddleware

from claims.models import Appearance, Attribution, Claim, ClaimState
from claims.services import AppearanceData, appearance_add, claim_create, claim_update
from tests import factories
from verification import services
from verification.models import Assignment, AssignmentState, Evidence, Review

pytestmark = pytest.mark.django_db


def _rows(model, pk: int) -> list:
    return list(model.history.filter(id=pk).order_by("history_id"))


def _changed(newer, older) -> set[str]:
    return set(newer.diff_against(older).changed_fields)


def test_every_move_of_a_claim_leaves_a_history_row_naming_who_moved_it(
    published_claim, editor, other_editor
):
    rows = _rows(Claim, published_claim.pk)

    assert [(r.history_type, r.state, r.history_user) for r in rows] == [
        ("+", ClaimState.NEW, None),  # made by a factory, outside any request
        ("~", ClaimState.TRIAGED, editor),
        ("~", ClaimState.IN_RESEARCH, editor),  # the assigning editor started research
        ("~", ClaimState.IN_REVIEW, None),  # the system, when the review came in
        ("~", ClaimState.PUBLISHED, other_editor),
    ]
    assert _changed(rows[1], rows[0]) == {"state"}
    # The sign-off also records the rating it published (the consensus, here).
    assert _changed(rows[4], rows[3]) == {
        "state",
        "published_at",
        "published_by",
        "published_rating",
    }
    assert rows[3].consensus_rating == "true"


def test_history_keeps_the_published_verdict_after_the_claim_is_reopened(published_claim, editor):
    services.claim_reopen(actor=editor, claim=published_claim, reason="New figures.")

    published, reopened = _rows(Claim, published_claim.pk)[-2:]

    assert (published.state, published.consensus_rating) == (ClaimState.PUBLISHED, "true")
    assert published.published_at is not None
    # The published verdict stays public while the claim is under review again.
    assert (reopened.state, reopened.published_at, reopened.history_user) == (
        ClaimState.IN_RESEARCH,
        published.published_at,
        editor,
    )
    assert {"state", "review_round", "consensus_rating"} <= _changed(reopened, published)


def test_a_claim_edit_records_the_old_and_new_wording(triaged_claim, editor):
    old = Claim.objects.get(pk=triaged_claim.pk).statement

    claim_update(actor=editor, claim=triaged_claim, statement="A reworded statement.")

    before, after = _rows(Claim, triaged_claim.pk)[-2:]
    delta = after.diff_against(before)
    assert after.history_type == "~"
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("statement", old, "A reworded statement.")
    ]


def test_an_assignment_keeps_a_row_per_step_with_its_actor(claim_in_research, reviewer, editor):
    assignment = Assignment.objects.get(claim=claim_in_research)
    services.assignment_accept(actor=reviewer, assignment=assignment)
    services.assignment_withdraw(actor=editor, assignment=assignment, reason="Reassigning.")

    rows = _rows(Assignment, assignment.pk)

    assert [(r.history_type, r.state, r.history_user) for r in rows] == [
        ("+", AssignmentState.OFFERED, editor),
        ("~", AssignmentState.ACCEPTED, reviewer),
        ("~", AssignmentState.WITHDRAWN, editor),
    ]
    assert _changed(rows[1], rows[0]) == {"state", "responded_at"}
    assert _changed(rows[2], rows[1]) == {"state", "closed_at", "reason"}
    assert rows[2].reason == "Reassigning."


def test_a_submitted_review_closes_its_assignment_in_history(claim_in_review, reviewer):
    assignment = Assignment.objects.get(claim=claim_in_review)

    rows = _rows(Assignment, assignment.pk)

    assert [(r.history_type, r.state, r.history_user) for r in rows][-1] == (
        "~",
        AssignmentState.SUBMITTED,
        reviewer,
    )


def test_evidence_history_records_who_added_it(evidence, reviewer):
    (row,) = _rows(Evidence, evidence.pk)

    assert (row.history_type, row.history_user, row.title, row.source_reliability) == (
        "+",
        reviewer,
        "Budget table",
        "A",
    )


def test_review_history_records_the_verdict_and_the_evidence_it_cites(
    claim_in_review, evidence, reviewer
):
    review = Review.objects.get(claim=claim_in_review)

    created, cited = _rows(Review, review.pk)

    assert (created.history_type, created.rating, created.history_user) == ("+", "true", reviewer)
    assert cited.history_type == "~"
    assert cited.history_user == reviewer
    assert [row.evidence_id for row in cited.evidence.all()] == [evidence.pk]


def test_an_appearance_added_in_a_request_names_the_requests_user(new_claim, editor):
    source = factories.SourceFactory()
    request = RequestFactory().post("/admin/claims/appearance/add/")
    request.user = editor

    def view(request: HttpRequest) -> HttpResponse:
        appearance_add(
            actor=request.user,
            claim=new_claim,
            data=AppearanceData(
                source=source, quote=source.text[:8], start=0, attribution=Attribution.ASSERTED
            ),
        )
        return HttpResponse()

    HistoryRequestMiddleware(view)(request)

    appearance = Appearance.objects.get(claim=new_claim)
    (row,) = _rows(Appearance, appearance.pk)
    assert (row.history_type, row.history_user, row.quote, row.start, row.end) == (
        "+",
        editor,
        source.text[:8],
        0,
        8,
    )


def test_a_claim_created_in_a_request_names_the_requests_user(reviewer):
    request = RequestFactory().post("/api/claims/")
    request.user = reviewer
    made = []

    def view(request: HttpRequest) -> HttpResponse:
        made.append(claim_create(actor=request.user, statement="A figure someone stated."))
        return HttpResponse()

    HistoryRequestMiddleware(view)(request)

    (row,) = _rows(Claim, made[0].pk)
    assert (row.history_type, row.state, row.history_user) == ("+", ClaimState.NEW, reviewer)
