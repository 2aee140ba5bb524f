"""The emails the workflow's other moves send: ready for sign-off (to the editors who may sign
off), published (to the submitter and the reviewers), withdrawn (to the reviewer) and escalation
(to the editors, naming who has the claim now).
"""

from __future__ import annotations

import datetime as dt
import html as html_lib

import pytest
from django.core import mail
from django.utils.html import strip_tags

from claims.models import Claim, ClaimState, Priority
from claims.roles import Role
from tests import factories
from tests.conftest import add_evidence
from verification import services
from verification.models import Assignment, AssignmentState, EmailKind, EmailLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def editor_reviewer(db):
    """An editor who also reviews: they may not sign off a claim they reviewed."""
    return factories.ReviewerFactory(username="edrev", roles=[Role.EDITOR, Role.REVIEWER])


@pytest.fixture
def two_review_claim(submitter, editor, other_editor, reviewer, editor_reviewer, capture) -> Claim:
    """A high-priority claim assigned automatically to ``reviewer`` and ``editor_reviewer``."""
    claim = factories.ClaimFactory(
        submitted_by=submitter,
        priority=Priority.HIGH,
        statement="Officials said the aid was worth 3.8 billion dollars a year.",
    )
    with capture():
        services.claim_triage(actor=editor, claim=claim)
    assert set(Assignment.objects.filter(claim=claim).values_list("reviewer", flat=True)) == {
        reviewer.pk,
        editor_reviewer.pk,
    }
    mail.outbox.clear()
    return claim


def _review(actor, claim: Claim, capture, *, rating: str = "mostly_true") -> None:
    evidence = add_evidence(
        actor,
        claim,
        f"Table cited by {actor.get_username()}",
        f"https://records.example/{actor.get_username()}",
        source_reliability="B",
        credibility=2,
    )
    with capture():
        services.review_submit(
            actor=actor,
            assignment=Assignment.objects.get(
                claim=claim, reviewer=actor, state=AssignmentState.OFFERED
            ),
            rating=rating,
            confidence="high",
            rationale=f"{actor.get_username()} found the figure in the table.",
            evidence=[evidence],
        )


def _visible_text(html: str) -> str:
    """What a reader of the HTML part sees: tags dropped, entities decoded."""
    return html_lib.unescape(strip_tags(html))


def _recipients(key_prefix: str = "") -> list[str]:
    """Who got mail, optionally only messages whose event key starts with ``key_prefix``."""
    return sorted(
        m.to[0] for m in mail.outbox if m.extra_headers["X-Claimdesk-Key"].startswith(key_prefix)
    )


# --- Ready for sign-off --------------------------------------------------------------------


def test_no_sign_off_email_while_reviews_are_missing(two_review_claim, reviewer, capture):
    _review(reviewer, two_review_claim, capture)

    assert Claim.objects.get(pk=two_review_claim.pk).state == ClaimState.IN_RESEARCH
    assert mail.outbox == []


def test_editors_who_did_not_review_are_told_the_claim_is_ready_for_sign_off(
    two_review_claim, reviewer, editor_reviewer, editor, other_editor, capture
):
    _review(reviewer, two_review_claim, capture, rating="true")
    _review(editor_reviewer, two_review_claim, capture, rating="mostly_true")

    claim = Claim.objects.get(pk=two_review_claim.pk)
    assert claim.state == ClaimState.IN_REVIEW
    assert _recipients() == sorted([editor.email, other_editor.email])
    assert editor_reviewer.email not in _recipients()
    message = next(m for m in mail.outbox if m.to == [editor.email])
    [(html, _)] = message.alternatives
    assert message.subject.endswith(
        f"Ready for sign-off: claim #{claim.pk} ({claim.get_consensus_rating_display()})"
    )
    for body in (message.body, _visible_text(html)):
        assert "waits for an editor's sign-off" in body
        assert claim.statement in body
        assert "Consensus: Mostly true, moderate (70–90%) confidence; agreement" in body
        assert "reviewer: True, high (90–99%) confidence" in body
        assert "edrev: Mostly true, high (90–99%) confidence" in body
    for body in (message.body, html):
        assert f"/admin/claims/claim/{claim.pk}/change/" in body


def test_the_sign_off_email_of_a_later_round_is_a_new_message(
    two_review_claim, reviewer, editor_reviewer, editor, capture
):
    _review(reviewer, two_review_claim, capture)
    _review(editor_reviewer, two_review_claim, capture)
    with capture():
        services.claim_send_back(actor=editor, claim=two_review_claim, note="Check the year.")
    mail.outbox.clear()

    _review(reviewer, two_review_claim, capture)
    _review(editor_reviewer, two_review_claim, capture)

    assert editor.email in _recipients("signoff")
    keys = set(
        EmailLog.objects.filter(kind=EmailKind.READY_FOR_SIGNOFF, user=editor).values_list(
            "key", flat=True
        )
    )
    assert keys == {
        f"signoff:{two_review_claim.pk}:1:{editor.pk}",
        f"signoff:{two_review_claim.pk}:2:{editor.pk}",
    }


# --- Published -----------------------------------------------------------------------------


def test_publishing_tells_the_submitter_and_every_reviewer_of_the_round(
    two_review_claim, reviewer, editor_reviewer, submitter, editor, other_editor, capture
):
    _review(reviewer, two_review_claim, capture, rating="false")
    _review(editor_reviewer, two_review_claim, capture, rating="false")
    mail.outbox.clear()

    with capture():
        services.claim_publish(actor=other_editor, claim=two_review_claim)

    claim = Claim.objects.get(pk=two_review_claim.pk)
    assert _recipients() == sorted([submitter.email, reviewer.email, editor_reviewer.email])
    message = next(m for m in mail.outbox if m.to == [submitter.email])
    [(html, _)] = message.alternatives
    assert message.subject.endswith(f"Published: claim #{claim.pk} rated False")
    for body in (message.body, _visible_text(html)):
        assert "Hello submitter," in body
        assert "signed off and published" in body
        assert "False, high (90–99%) confidence" in body
        assert claim.statement in body
    for body in (message.body, html):
        assert f"/api/v1/claims/{claim.pk}/" in body


def test_a_reviewer_of_an_earlier_round_only_is_not_told_of_the_publication(
    submitter, editor, other_editor, reviewer, second_reviewer, capture
):
    claim = factories.ClaimFactory(submitted_by=submitter)
    with capture():
        services.claim_triage(actor=editor, claim=claim)
    # Round 1 goes to reviewer (first by primary key); they review, the claim is sent back.
    _review(reviewer, claim, capture)
    with capture():
        services.claim_send_back(actor=editor, claim=claim, note="Check the year.")
        services.assignment_decline(
            actor=reviewer,
            assignment=Assignment.objects.get(
                claim=claim, reviewer=reviewer, state=AssignmentState.OFFERED
            ),
        )
    _review(second_reviewer, claim, capture)
    mail.outbox.clear()

    with capture():
        services.claim_publish(actor=other_editor, claim=claim)

    assert _recipients() == sorted([submitter.email, second_reviewer.email])


# --- Withdrawn -----------------------------------------------------------------------------


def test_a_reviewer_is_told_when_their_assignment_is_withdrawn(
    two_review_claim, reviewer, editor, capture
):
    assignment = Assignment.objects.get(claim=two_review_claim, reviewer=reviewer)

    with capture():
        services.assignment_withdraw(
            actor=editor, assignment=assignment, reason="They're covering the election."
        )

    [message] = [m for m in mail.outbox if m.to == [reviewer.email]]
    [(html, _)] = message.alternatives
    assert message.subject.endswith(f"Claim #{two_review_claim.pk} was taken back from you")
    assert "withdrawn: They're covering the election." in message.body
    assert "withdrawn: They&#x27;re covering the election." in html
    assert "You no longer need to review it." in message.body
    assert two_review_claim.statement in message.body
    assert EmailLog.objects.get(kind=EmailKind.WITHDRAWN).assignment == assignment


# --- Escalation ----------------------------------------------------------------------------


def test_editors_are_told_of_an_escalation_with_the_new_reviewers_name(
    submitter, editor, other_editor, reviewer, second_reviewer, capture
):
    claim = factories.ClaimFactory(submitted_by=submitter, statement="Turnout rose to 71 percent.")
    with capture():
        services.claim_triage(actor=editor, claim=claim)
    missed = Assignment.objects.get(claim=claim)
    assert missed.reviewer == reviewer
    due = missed.due_at
    # Three reminders (one early, two overdue), then one more interval: escalation.
    for now in (
        due - dt.timedelta(hours=1),
        due + dt.timedelta(minutes=1),
        due + dt.timedelta(hours=25),
    ):
        with capture():
            services.assignments_remind(now=now)
    mail.outbox.clear()

    with capture():
        run = services.assignments_remind(now=due + dt.timedelta(hours=50))

    assert run.escalated == [missed.pk]
    replacement = Assignment.objects.get(claim=claim, state=AssignmentState.OFFERED)
    assert replacement.reviewer == second_reviewer
    escalations = [m for m in mail.outbox if "Escalation" in m.subject]
    assert sorted(m.to[0] for m in escalations) == sorted([editor.email, other_editor.email])
    message = escalations[0]
    [(html, _)] = message.alternatives
    assert message.subject.endswith(f"Escalation: reviewer missed claim #{claim.pk}")
    for body in (message.body, _visible_text(html)):
        assert "has expired after 3 reminder(s)" in body
        assert "It is now assigned to: reviewer2." in body
        assert "Turnout rose to 71 percent." in body
    # The new reviewer has their assignment email; the one who missed it gets nothing more.
    assert [m.to for m in mail.outbox if m not in escalations] == [[second_reviewer.email]]


def test_editors_are_told_when_nobody_can_take_an_escalated_claim(
    submitter, editor, reviewer, capture
):
    claim = factories.ClaimFactory(submitted_by=submitter)
    with capture():
        services.claim_triage(actor=editor, claim=claim)
    missed = Assignment.objects.get(claim=claim, reviewer=reviewer)
    Assignment.objects.filter(pk=missed.pk).update(
        reminders_sent=3, last_reminded_at=missed.due_at + dt.timedelta(hours=1)
    )
    mail.outbox.clear()

    with capture():
        services.assignments_remind(now=missed.due_at + dt.timedelta(hours=26))

    [message] = mail.outbox
    assert message.to == [editor.email]
    assert "No reviewer is free; the claim waits in the queue." in message.body
    claim.refresh_from_db()
    assert claim.state == ClaimState.IN_RESEARCH
    assert list(services.claims_waiting_for_reviewers()) == [claim]
