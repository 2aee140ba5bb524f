"""Adding graded evidence to a claim: Admiralty grades, one origin per wire story, and no
additions to a published (locked) or dismissed claim.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.exceptions import WorkflowConflict
from claims.models import Claim
from verification import services
from verification.models import Evidence, SourceReliability, Stance

pytestmark = pytest.mark.django_db


def _add(actor, claim: Claim, **overrides) -> Evidence:
    fields = {
        "title": "Appropriations table",
        "url": "https://records.example/approps",
        "stance": Stance.SUPPORTS,
        "source_reliability": SourceReliability.A,
        "credibility": 1,
    }
    return services.evidence_add(actor=actor, claim=claim, **(fields | overrides))


def test_reviewer_adds_graded_evidence_to_a_claim_in_research(claim_in_research, reviewer):
    item = _add(
        reviewer,
        claim_in_research,
        title="  Appropriations table ",
        publisher="Congress",
        excerpt="Line 12: 3.8 billion.",
        stance=Stance.SUPPORTS,
        source_reliability=SourceReliability.B,
        credibility=2,
    )

    stored = Evidence.objects.get(pk=item.pk)
    assert (stored.claim, stored.added_by, stored.title, stored.grade, stored.stance) == (
        claim_in_research,
        reviewer,
        "Appropriations table",
        "B2",
        Stance.SUPPORTS,
    )


def test_editor_can_add_evidence_too(claim_in_research, editor):
    item = _add(editor, claim_in_research)

    assert Evidence.objects.get(pk=item.pk).added_by == editor


def test_origin_key_defaults_to_the_url_without_scheme_query_or_www(claim_in_research, reviewer):
    item = _add(reviewer, claim_in_research, url="https://www.Wire.example/story/42/?utm=x")

    assert item.origin_key == "wire.example/story/42"


def test_reprints_of_one_wire_story_share_the_given_origin_key(claim_in_research, reviewer):
    first = _add(reviewer, claim_in_research, url="https://a.example/x", origin_key="ap:toll")
    reprint = _add(reviewer, claim_in_research, url="https://b.example/y", origin_key="ap:toll")

    assert first.origin_key == reprint.origin_key == "ap:toll"
    assert claim_in_research.evidence.values("origin_key").distinct().count() == 1


def test_a_document_reference_can_stand_in_for_a_url(claim_in_research, reviewer):
    item = _add(
        reviewer, claim_in_research, url="", document_ref="Box 7, file 3", publisher="Archive"
    )

    assert (item.url, item.document_ref, item.origin_key) == (
        "",
        "Box 7, file 3",
        "archive:box 7, file 3",
    )


def test_evidence_without_url_or_document_is_refused(claim_in_research, reviewer):
    with pytest.raises(ValidationError) as refused:
        _add(reviewer, claim_in_research, url="", document_ref="  ")

    assert "url" in refused.value.message_dict
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("source_reliability", "G"), ("credibility", 7), ("credibility", 0), ("stance", "maybe")],
)
def test_evidence_with_a_grade_off_the_scale_is_refused(field, value, claim_in_research, reviewer):
    with pytest.raises(ValidationError) as refused:
        _add(reviewer, claim_in_research, **{field: value})

    assert field in refused.value.message_dict
    assert not Evidence.objects.exists()


def test_outsider_cannot_add_evidence(claim_in_research, outsider):
    with pytest.raises(PermissionDenied, match="Only a reviewer or an editor may add evidence"):
        _add(outsider, claim_in_research)

    assert not Evidence.objects.exists()


@pytest.mark.parametrize("fixture", ["new_claim", "triaged_claim", "claim_in_review"])
def test_evidence_can_be_added_to_a_claim_that_is_not_locked(fixture, request, editor):
    claim = request.getfixturevalue(fixture)

    item = _add(editor, claim, url="https://records.example/more")

    assert Evidence.objects.filter(pk=item.pk, claim=claim).exists()


@pytest.mark.parametrize("state", ["published", "dismissed"])
def test_evidence_cannot_be_added_to_a_published_or_dismissed_claim(state, request, editor):
    claim = request.getfixturevalue(f"{state}_claim")
    count = Evidence.objects.count()

    with pytest.raises(WorkflowConflict, match=f"it is {state}"):
        _add(editor, claim, url="https://records.example/late")

    assert Evidence.objects.count() == count


def test_evidence_cannot_be_slipped_in_through_a_stale_copy_of_a_published_claim(
    claim_in_review, other_editor, editor
):
    # The caller still holds the claim as it was before another editor published it.
    stale_copy = Claim.objects.get(pk=claim_in_review.pk)
    services.claim_publish(actor=other_editor, claim=claim_in_review)
    count = Evidence.objects.count()

    with pytest.raises(WorkflowConflict, match="it is published"):
        _add(editor, stale_copy, url="https://records.example/late")

    assert Evidence.objects.count() == count


def test_evidence_can_be_added_again_once_the_claim_is_reopened(published_claim, editor):
    reopened = services.claim_reopen(actor=editor, claim=published_claim, reason="New data.")

    item = _add(editor, reopened, url="https://records.example/new-data")

    assert item.claim_id == published_claim.pk
