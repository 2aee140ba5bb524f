"""A reviewer submits their verdict through the admin's "Submit review" page."""

from __future__ import annotations

from django.urls import reverse

from claims.models import Claim, ClaimState
from tests import factories
from verification import services
from verification.models import Assignment, AssignmentState, Evidence, Review


def review_url(assignment: Assignment) -> str:
    return reverse("admin:verification_assignment_review", args=[assignment.pk])


def verdict(evidence=(), rating: str = "true") -> dict:
    return {
        "rating": rating,
        "confidence": "high",
        "rationale": "The budget table shows the figure.",
        "evidence": [item.pk for item in evidence],
    }


def test_reviewer_reaches_the_review_page_from_their_assignment(client, reviewer, assignment):
    client.force_login(reviewer)
    listing = client.get(reverse("admin:verification_assignment_changelist"))
    assert review_url(assignment) in listing.content.decode()
    page = client.get(reverse("admin:verification_assignment_change", args=[assignment.pk]))
    assert review_url(assignment) in page.content.decode()


def test_review_page_shows_the_claim_and_its_evidence(client, reviewer, assignment, evidence):
    client.force_login(reviewer)
    response = client.get(review_url(assignment))
    assert response.status_code == 200
    page = response.content.decode()
    assert assignment.claim.statement in page
    assert "Budget table" in page and "A1" in page


def test_reviewer_submits_a_review_with_evidence_and_the_claim_goes_to_review(
    client, reviewer, assignment, evidence
):
    client.force_login(reviewer)
    response = client.post(review_url(assignment), verdict([evidence]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_change", args=[assignment.claim_id])
    review = Review.objects.get(assignment=assignment)
    assert (review.reviewer, review.rating) == (reviewer, "true")
    assert list(review.evidence.all()) == [evidence]
    assert Claim.objects.get(pk=assignment.claim_id).state == ClaimState.IN_REVIEW
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.SUBMITTED


def test_firm_rating_without_evidence_shows_the_error_and_creates_nothing(
    client, reviewer, assignment, evidence
):
    client.force_login(reviewer)
    response = client.post(review_url(assignment), verdict([]))
    assert response.status_code == 200
    assert "must cite at least one piece of evidence" in response.content.decode()
    assert response.context["form"].errors["evidence"]
    assert not Review.objects.exists()
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.OFFERED
    assert Claim.objects.get(pk=assignment.claim_id).state == ClaimState.IN_RESEARCH


def test_unverifiable_rating_needs_no_evidence(client, reviewer, assignment):
    client.force_login(reviewer)
    response = client.post(review_url(assignment), verdict([], rating="unverifiable"))
    assert response.status_code == 302
    assert Review.objects.get(assignment=assignment).rating == "unverifiable"


def test_empty_form_shows_which_fields_are_missing(client, reviewer, assignment):
    client.force_login(reviewer)
    response = client.post(review_url(assignment), {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"rating", "confidence", "rationale"}
    assert not Review.objects.exists()


def test_evidence_of_another_claim_cannot_be_cited(client, reviewer, assignment, evidence):
    foreign = factories.EvidenceFactory()  # belongs to a claim of its own
    client.force_login(reviewer)
    response = client.post(review_url(assignment), verdict([evidence, foreign]))
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"]
    assert not Review.objects.exists()


def test_second_submission_on_a_closed_assignment_is_refused_on_the_form(
    client, reviewer, assignment, evidence
):
    services.review_submit(
        actor=reviewer,
        assignment=assignment,
        rating="true",
        confidence="high",
        rationale="First verdict.",
        evidence=[evidence],
    )
    client.force_login(reviewer)
    page = client.get(review_url(assignment))
    assert "submitted; nothing to submit" in page.content.decode()
    response = client.post(review_url(assignment), verdict([evidence], rating="false"))
    assert response.status_code == 200
    assert f"Cannot review claim #{assignment.claim_id}" in response.content.decode()
    assert Review.objects.get(assignment=assignment).rating == "true"


def test_another_reviewer_cannot_open_someone_elses_review_page(
    client, second_reviewer, assignment, evidence
):
    client.force_login(second_reviewer)
    assert client.get(review_url(assignment)).status_code == 404
    assert client.post(review_url(assignment), verdict([evidence])).status_code == 404
    assert not Review.objects.exists()


def test_editor_cannot_review_on_a_reviewers_behalf(client, editor, assignment, evidence):
    client.force_login(editor)
    assert client.get(review_url(assignment)).status_code == 403
    assert client.post(review_url(assignment), verdict([evidence])).status_code == 403
    assert not Review.objects.exists()


def test_reviewer_adds_evidence_from_the_review_page_and_cites_it(client, reviewer, assignment):
    client.force_login(reviewer)
    page = client.get(review_url(assignment)).content.decode()
    add_url = reverse("admin:verification_evidence_add") + f"?claim={assignment.claim_id}"
    assert add_url in page
    response = client.post(
        reverse("admin:verification_evidence_add"),
        {
            "claim": assignment.claim_id,
            "title": "Appropriations act, section 1301",
            "url": "",
            "document_ref": "Public Law 118-47",
            "publisher": "U.S. Congress",
            "excerpt": "",
            "stance": "supports",
            "source_reliability": "A",
            "credibility": "1",
            "origin_key": "",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(title="Appropriations act, section 1301")
    assert (evidence.added_by, evidence.origin_key) == (reviewer, "u.s. congress:public law 118-47")
    assert client.post(review_url(assignment), verdict([evidence])).status_code == 302
    assert list(Review.objects.get(assignment=assignment).evidence.all()) == [evidence]


def test_evidence_for_a_published_claim_is_refused_on_the_form(client, reviewer, published_claim):
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:verification_evidence_add"),
        {
            "claim": published_claim.pk,
            "title": "Late find",
            "url": "https://records.example/late",
            "stance": "context",
            "source_reliability": "B",
            "credibility": "3",
        },
    )
    assert response.status_code == 200
    assert "it is published" in response.content.decode()
    assert not Evidence.objects.filter(title="Late find").exists()
