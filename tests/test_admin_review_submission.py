"""A reviewer submits their verdict through the admin's "Submit review" page."""

from __future__ import annotations

from django.urls import reverse

from claims.models import Claim, ClaimState
from tests import factories
from tests.conftest import submit_review
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
    submit_review(reviewer, assignment, "true", "high", "First verdict.", [evidence])
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


NEW_EVIDENCE = {
    "new-title": "Appropriations act, section 1301",
    "new-url": "",
    "new-document_ref": "Public Law 118-47",
    "new-publisher": "U.S. Congress",
    "new-excerpt": "",
    "new-stance": "supports",
    "new-source_reliability": "A",
    "new-credibility": "1",
    "new-origin_key": "",
}


def adding_evidence(changed: dict[str, str] | None = None) -> dict:
    """The review page's "Add evidence" post: ``NEW_EVIDENCE``, with the ``changed`` fields (its
    own ``new-…`` ones, or the review's) in place."""
    return {**NEW_EVIDENCE, **(changed or {}), "action": "add_evidence"}


def test_review_page_labels_every_field_and_names_its_buttons(client, reviewer, assignment):
    client.force_login(reviewer)
    page = client.get(review_url(assignment)).content.decode()

    for field_id, label in [
        ("id_rating", "Rating"),
        ("id_confidence", "Confidence"),
        ("id_rationale", "Rationale"),
        ("id_new-title", "Title"),
        ("id_new-url", "URL"),
        ("id_new-document_ref", "Document reference"),
        ("id_new-publisher", "Publisher"),
        ("id_new-excerpt", "Excerpt"),
        ("id_new-stance", "Stance"),
        ("id_new-source_reliability", "Source reliability (A–F)"),
        ("id_new-credibility", "Information credibility (1–6)"),
        ("id_new-origin_key", "Origin key"),
    ]:
        assert f'<label for="{field_id}"' in page, field_id
        assert f">{label}:</label>" in page, label
    assert 'name="action" value="add_evidence" class="button" formnovalidate>' in page
    assert ">Add evidence</button>" in page and ">Submit review</button>" in page
    assert reverse("admin:verification_assignment_mine") in page


def test_evidence_picker_shows_each_items_grade_stance_and_origin(
    client, reviewer, assignment, evidence
):
    client.force_login(reviewer)
    page = client.get(review_url(assignment)).content.decode()

    assert "<legend>Evidence cited</legend>" in page
    assert (
        "A1 · supports · Budget table (https://records.example/budget) · origin "
        "records.example/budget"
    ) in page


def test_reviewer_adds_evidence_on_the_review_page_and_finds_it_ticked(
    client, reviewer, assignment
):
    client.force_login(reviewer)
    typed = {
        "rating": "mostly_true",
        "confidence": "moderate",
        "rationale": "The act sets the figure, but for one year only.",
    }
    response = client.post(review_url(assignment), adding_evidence(typed))

    assert response.status_code == 302
    assert response["Location"] == review_url(assignment) + "#evidence-cited"
    evidence = Evidence.objects.get(title="Appropriations act, section 1301")
    assert (evidence.claim_id, evidence.added_by, evidence.origin_key) == (
        assignment.claim_id,
        reviewer,
        "u.s. congress:public law 118-47",
    )
    assert not Review.objects.exists()

    page = client.get(review_url(assignment))
    form = page.context["form"]
    # What was typed is kept, and the new item is ticked.
    assert (form["rating"].value(), form["confidence"].value(), form["rationale"].value()) == (
        "mostly_true",
        "moderate",
        "The act sets the figure, but for one year only.",
    )
    assert form["evidence"].value() == [evidence.pk]
    html = page.content.decode()
    assert f'value="{evidence.pk}" id="id_evidence_0" checked' in html
    assert "Evidence “Appropriations act, section 1301” (A1) was added" in html

    # Reloading the page later shows an empty form again: the draft was used once.
    assert client.get(review_url(assignment)).context["form"]["rating"].value() is None

    response = client.post(review_url(assignment), verdict([evidence], rating="mostly_true"))
    assert response.status_code == 302
    assert list(Review.objects.get(assignment=assignment).evidence.all()) == [evidence]


def test_evidence_without_url_or_document_is_refused_and_the_review_is_kept(
    client, reviewer, assignment
):
    client.force_login(reviewer)
    data = adding_evidence({"new-document_ref": "", "rationale": "Draft reasoning."})
    response = client.post(review_url(assignment), data)

    assert response.status_code == 200
    assert response.context["new_evidence"].errors["url"] == ["Give a URL or a document reference."]
    assert "The evidence was not added." in response.content.decode()
    # The review part is not judged (nothing was submitted) but keeps what was typed.
    assert not response.context["form"].errors
    assert response.context["form"]["rationale"].value() == "Draft reasoning."
    assert not Evidence.objects.exists()
    assert not Review.objects.exists()


def test_evidence_graded_off_the_admiralty_scale_is_refused(client, reviewer, assignment):
    client.force_login(reviewer)
    data = adding_evidence({"new-source_reliability": "G", "new-credibility": "7"})
    response = client.post(review_url(assignment), data)

    assert response.status_code == 200
    errors = response.context["new_evidence"].errors
    assert set(errors) == {"source_reliability", "credibility"}
    assert not Evidence.objects.exists()


def test_evidence_cannot_be_added_under_a_closed_assignment(client, reviewer, assignment, evidence):
    submit_review(reviewer, assignment, "true", "high", "Done.", [evidence])
    client.force_login(reviewer)

    response = client.post(review_url(assignment), adding_evidence())

    assert response.status_code == 200
    assert "This assignment is submitted; nothing to submit." in response.content.decode()
    assert Evidence.objects.count() == 1


def test_a_firm_rating_is_refused_in_plain_words_when_the_claim_has_no_evidence(
    client, reviewer, assignment
):
    client.force_login(reviewer)
    response = client.post(review_url(assignment), verdict([], rating="false"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your review was not saved." in page
    assert (
        "A rating of &#x27;False&#x27; must cite at least one piece of evidence; rate it "
        "unverifiable if there is none."
    ) in page
    assert not Review.objects.exists()


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
