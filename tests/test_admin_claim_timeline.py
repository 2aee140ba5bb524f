"""The claim page's own sections: a timeline of everything that happened (workflow events and
the history of the claim, its appearances, evidence, reviews and assignments, merged in time
order, each with who and what changed), the assignments with their emails, and ingestion's
matches both ways. Blind review holds in all of them, and the page's query count does not grow
with the length of the claim's story."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services as claim_services
from claims.extraction.ingest import claim_match_record
from claims.models import Claim, ClaimMatch, MatchOutcome, Priority
from tests import factories
from tests.conftest import submit_review
from verification import services
from verification.models import EmailLog, EmailStatus, WorkflowAction, WorkflowEvent
from verification.services.match_decisions import claim_match_confirm
from verification.timeline import claim_timeline

pytestmark = pytest.mark.django_db


def change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def entries(claim: Claim, user) -> list[tuple[str, str, str]]:
    return [(e.actor, e.subject, e.action) for e in claim_timeline(claim, user)]


def changes_of(entry) -> dict[str, tuple[str, str]]:
    return {c.field: (c.old, c.new) for c in entry.changes}


# --- The timeline ------------------------------------------------------------------------------


def test_the_timeline_merges_moves_and_changes_in_time_order_with_their_actors(
    editor, reviewer, claim_in_review
):
    claim_services.claim_update(actor=editor, claim=claim_in_review, priority=Priority.URGENT)

    timeline = claim_timeline(claim_in_review, editor)

    assert [e.at for e in timeline] == sorted(e.at for e in timeline)
    seen = [(e.actor, e.subject, e.action) for e in timeline]
    assert ("editor", "Claim", "Triaged") in seen
    assert ("editor", "Assignment of reviewer", "Assigned") in seen
    assert ("reviewer", "Evidence “Budget table”", "created") in seen
    assert ("reviewer", "Review by reviewer", "created") in seen
    assert ("", "Claim", "Ready for sign-off") in seen  # the system moved it: no actor
    (edit,) = [e for e in timeline if e.action == "changed" and e.subject == "Claim"]
    assert edit.actor == "editor"
    assert changes_of(edit)["priority"] == ("Normal", "Urgent")
    (review,) = [e for e in timeline if e.subject == "Review by reviewer"]
    assert changes_of(review)["rating"] == ("—", "True")


def test_a_move_and_the_history_row_it_wrote_are_one_entry(editor, submitter):
    claim = factories.ClaimFactory(submitted_by=submitter, priority=Priority.HIGH)
    services.claim_triage(actor=editor, claim=claim, note="Worth a second look.")

    timeline = claim_timeline(claim, editor)

    created, triage = [e for e in timeline if e.subject == "Claim"]
    assert (created.kind, created.action) == ("history", "created")
    assert (triage.kind, triage.action, triage.note) == ("event", "Triaged", "Worth a second look.")
    # The move's own change (state) and the one the history row adds (required reviews).
    assert changes_of(triage) == {
        "state": ("New", "Triaged"),
        "required reviews": ("1", "2"),
    }


def test_a_reviewer_sees_no_other_verdict_in_the_timeline_before_their_own(
    client, editor, reviewer, second_reviewer, half_reviewed_claim
):
    # An edit snapshots the claim, consensus included (the review updated it in place).
    claim_services.claim_update(actor=editor, claim=half_reviewed_claim, priority="urgent")

    timeline = claim_timeline(half_reviewed_claim, second_reviewer)

    subjects = {e.subject for e in timeline}
    assert "Review by reviewer" not in subjects
    assert "Assignment of reviewer" not in subjects  # another reviewer's assignment
    assert "Assignment of reviewer2" in subjects
    fields = {c.field for e in timeline for c in e.changes}
    assert not fields & {"consensus rating", "consensus confidence", "agreement"}
    assert "priority" in fields  # the same edit, without the verdict
    client.force_login(second_reviewer)
    page = client.get(change_url(half_reviewed_claim)).content.decode()
    assert "Mostly false" not in page and "mostly_false" not in page


def test_a_reviewer_sees_the_other_verdicts_in_the_timeline_once_their_own_is_in(
    reviewer, second_reviewer, half_reviewed_claim
):
    assignment = half_reviewed_claim.assignments.get(reviewer=second_reviewer)
    submit_review(second_reviewer, assignment, "unverifiable", "low", "No record either way.")

    timeline = claim_timeline(half_reviewed_claim, second_reviewer)

    assert "Review by reviewer" in {e.subject for e in timeline}
    consensus = [changes_of(e).get("consensus rating") for e in timeline]
    assert ("—", "Mostly false") in consensus


def test_an_editor_sees_every_review_and_the_consensus_in_the_timeline(editor, half_reviewed_claim):
    claim_services.claim_update(actor=editor, claim=half_reviewed_claim, priority="urgent")
    timeline = claim_timeline(half_reviewed_claim, editor)
    assert "Review by reviewer" in {e.subject for e in timeline}
    assert ("—", "Mostly false") in [changes_of(e).get("consensus rating") for e in timeline]


def test_the_claim_page_shows_the_timeline(client, editor, claim_in_review):
    client.force_login(editor)
    page = client.get(change_url(claim_in_review)).content.decode()
    assert 'id="timeline"' in page
    assert "Review submitted" in page and "Assignment of reviewer" in page


# --- Assignments and their emails ---------------------------------------------------------------


def test_each_assignment_shows_its_emails_with_their_outcome(
    client, editor, reviewer, claim_in_research
):
    email = EmailLog.objects.get(assignment__claim=claim_in_research)
    EmailLog.objects.filter(pk=email.pk).update(
        status=EmailStatus.FAILED, attempts=3, last_error="550 mailbox unavailable"
    )
    client.force_login(editor)

    response = client.get(change_url(claim_in_research))

    (row,) = response.context["assignment_rows"]
    assert row.reviewer == reviewer
    page = response.content.decode()
    assert "Assignments and their emails" in page
    assert f"Assignment</strong> to {email.recipient}" in page
    assert "failed" in page and "3 attempts" in page
    assert "Last error: 550 mailbox unavailable" in page


def test_a_reviewer_sees_only_their_own_assignment_and_no_emails(
    client, second_reviewer, half_reviewed_claim
):
    client.force_login(second_reviewer)
    response = client.get(change_url(half_reviewed_claim))
    rows = response.context["assignment_rows"]
    assert [a.reviewer for a in rows] == [second_reviewer]
    assert response.context["show_emails"] is False
    assert "Last error" not in response.content.decode()


# --- Matches ----------------------------------------------------------------------------------


def test_both_claims_pages_list_the_match_from_their_side(client, editor, suggested_match):
    candidate, existing, match = suggested_match
    client.force_login(editor)
    for claim, other in ((candidate, existing), (existing, candidate)):
        response = client.get(change_url(claim))
        (row,) = response.context["match_rows"]
        assert (row.match, row.other_id) == (match, other.pk)
        assert row.mine == (claim == candidate)
        assert set(row.decide_urls) == {"confirm", "reject"}
        assert "Likely duplicates from ingestion" in response.content.decode()


def test_the_timeline_shows_the_suggestion_and_its_confirmation(editor, suggested_match):
    candidate, existing, match = suggested_match
    claim_match_confirm(actor=editor, match=match)

    # The candidate's page still tells the story, though its appearance has moved.
    story = entries(candidate, editor)
    actions = [(actor, action) for actor, _, action in story]
    assert ("", f"Suggested as a likely duplicate of claim #{existing.pk}") in actions
    assert ("editor", "Dismissed") in actions
    assert ("editor", f"Confirmed: a duplicate of claim #{existing.pk}") in actions
    moved = [e for e in claim_timeline(existing, editor) if changes_of(e).get("claim") is not None]
    assert changes_of(moved[0])["claim"] == (f"claim #{candidate.pk}", f"claim #{existing.pk}")
    assert ClaimMatch.objects.get(pk=match.pk).outcome == MatchOutcome.CONFIRMED


# --- Queries ----------------------------------------------------------------------------------


def page_queries(client, claim: Claim) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(change_url(claim)).status_code == 200
    return len(queries)


def lengthen_story(claim: Claim, editor, times: int) -> None:
    """Events, history rows and matches of every kind the timeline reads, ``times`` over
    (without more rows in the page's inlines, which are not the timeline's to count)."""
    appearance = factories.AppearanceFactory(claim=claim)
    evidence = factories.EvidenceFactory(claim=claim)
    assignment = claim.assignments.first()
    for n in range(times):
        claim_services.claim_update(actor=editor, claim=claim, statement=f"Reworded {n}.")
        appearance.note = f"Hedge {n}."
        appearance.save()
        evidence.excerpt = f"Excerpt {n}."
        evidence.save()
        if assignment is not None:
            assignment.reminders_sent = n + 1
            assignment.save()
        WorkflowEvent.objects.create(claim=claim, actor=editor, action=WorkflowAction.ASSIGN)
        other = factories.AppearanceFactory()
        claim_match_record(
            appearance=other,
            existing=claim,
            score=0.7,
            words=0.7,
            shared_figures=0,
            outcome=MatchOutcome.SUGGESTED,
        )


def test_the_claim_pages_query_count_does_not_grow_with_its_story(
    client, editor, claim_in_research
):
    short = factories.ClaimFactory()
    services.claim_triage(actor=editor, claim=short)
    reviewer = claim_in_research.assignments.get().reviewer
    services.assignment_create(actor=editor, claim=short, reviewer=reviewer)
    lengthen_story(short, editor, 1)
    lengthen_story(claim_in_research, editor, 8)
    client.force_login(editor)
    page_queries(client, short)  # warm the caches (content types, permissions)

    assert len(claim_timeline(claim_in_research, editor)) > 3 * len(claim_timeline(short, editor))
    assert page_queries(client, claim_in_research) == page_queries(client, short)


def test_the_timeline_is_read_in_a_fixed_number_of_queries(
    editor, claim_in_research, django_assert_max_num_queries
):
    lengthen_story(claim_in_research, editor, 6)
    with django_assert_max_num_queries(12):
        claim_timeline(claim_in_research, editor)
