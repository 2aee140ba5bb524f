"""Shared fixtures: the desk's people, and claims walked to a given state through the services.

Tests marked ``postgres`` need PostgreSQL (row locks, real concurrency). They skip on SQLite
during local runs and fail under CI (``CI=true``), where a missing PostgreSQL is an error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from claims.extraction.ingest import claim_match_record
from claims.models import (
    Claim,
    ClaimState,
    IngestJob,
    IngestKind,
    IngestStatus,
    MatchOutcome,
    Priority,
)
from claims.roles import Role
from tests import factories
from tests.smtp_stub import stub_smtp  # noqa: F401  (a fixture, shared with every module)
from verification import services


@pytest.fixture(autouse=True)
def _require_postgres(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") is None or connection.vendor == "postgresql":
        return
    message = f"needs PostgreSQL (DATABASE_URL), but the tests run on {connection.vendor}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files (import jobs' files) go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    archive = {"location": str(tmp_path_factory.mktemp("archive"))}
    settings.STORAGES = {
        **settings.STORAGES,
        "archive": {**settings.STORAGES["archive"], "OPTIONS": archive},
    }


SEED_ARTICLE = Path(settings.BASE_DIR).parent / "shared" / "seed" / "article.md"


@pytest.fixture
def article_path() -> Path:
    """The seed article, read at run time from ``../shared/seed/article.md``; a test that needs
    it skips where it is not."""
    if not SEED_ARTICLE.exists():
        pytest.skip(f"The seed article is not at {SEED_ARTICLE}.")
    return SEED_ARTICLE


@pytest.fixture
def article(article_path) -> str:
    """The seed article's text."""
    return article_path.read_text(encoding="utf-8")


def person(factory: type, username: str, doc: str | None = None):
    """A fixture of one person of the desk, made by ``factory`` as ``username``."""

    def make(db):
        return factory(username=username)

    make.__doc__ = doc
    return pytest.fixture(make)


editor = person(factories.EditorFactory, "editor")
other_editor = person(factories.EditorFactory, "editor2")
reviewer = person(factories.ReviewerFactory, "reviewer")
second_reviewer = person(factories.ReviewerFactory, "reviewer2")
outsider = person(
    factories.UserFactory, "outsider", "Logged in, but on neither the reviewer nor the editor desk."
)
submitter = person(factories.ReviewerFactory, "submitter")


@pytest.fixture
def new_claim(db, submitter) -> Claim:
    claim = factories.ClaimFactory(submitted_by=submitter)
    services_record_created(claim)
    return claim


def services_record_created(claim: Claim) -> None:
    from verification.models import WorkflowAction, WorkflowEvent

    WorkflowEvent.objects.create(
        claim=claim, actor=claim.submitted_by, action=WorkflowAction.CREATE, to_state=claim.state
    )


@pytest.fixture
def dismissed_claim(new_claim, editor) -> Claim:
    return services.claim_dismiss(actor=editor, claim=new_claim, reason="An opinion, not a fact.")


# The fixture that yields a claim in each state, for tests parametrized over states.
CLAIM_IN_STATE = {
    ClaimState.NEW: "new_claim",
    ClaimState.TRIAGED: "triaged_claim",
    ClaimState.DISMISSED: "dismissed_claim",
    ClaimState.IN_RESEARCH: "claim_in_research",
    ClaimState.IN_REVIEW: "claim_in_review",
    ClaimState.PUBLISHED: "published_claim",
}


def recorded_move(subject: Any, action: str) -> dict[str, Any]:
    """The one ``action`` move on ``subject``'s timeline (a claim's or an assignment's): who made
    it, from which state to which, and the note it was given."""
    event = subject.events.get(action=action)
    return {
        "actor": event.actor,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "note": event.note,
    }


def claim_snapshot(claim: Claim) -> tuple:
    """What a refused move must leave as it was: the claim's state, round, consensus and
    publication, and the number of workflow events and assignments."""
    from verification.models import Assignment, WorkflowEvent

    fresh = Claim.objects.get(pk=claim.pk)
    return (
        fresh.state,
        fresh.review_round,
        fresh.consensus_rating,
        fresh.published_at,
        WorkflowEvent.objects.count(),
        Assignment.objects.count(),
    )


@pytest.fixture
def triaged_claim(new_claim, editor) -> Claim:
    return services.claim_triage(actor=editor, claim=new_claim)


@pytest.fixture
def assignment(triaged_claim, editor, reviewer):
    return services.assignment_create(actor=editor, claim=triaged_claim, reviewer=reviewer)


@pytest.fixture
def claim_in_research(assignment) -> Claim:
    claim = Claim.objects.get(pk=assignment.claim_id)
    assert claim.state == ClaimState.IN_RESEARCH
    return claim


def add_evidence(actor, claim, title="Budget table", url="https://records.example/budget", **kw):
    """``actor`` adds a supporting document, graded A1 unless ``kw`` says otherwise."""
    kw = {"stance": "supports", "source_reliability": "A", "credibility": 1, **kw}
    return services.evidence_add(actor=actor, claim=claim, title=title, url=url, **kw)


def submit_review(actor, assignment, rating: str, confidence: str, rationale: str, evidence=()):
    """``actor`` submits their review of ``assignment`` (``services.review_submit``)."""
    return services.review_submit(
        actor=actor,
        assignment=assignment,
        rating=rating,
        confidence=confidence,
        rationale=rationale,
        evidence=evidence,
    )


@pytest.fixture
def evidence(claim_in_research, reviewer):
    return add_evidence(reviewer, claim_in_research)


@pytest.fixture
def claim_in_review(assignment, evidence, reviewer) -> Claim:
    submit_review(
        reviewer, assignment, "true", "high", "The budget table shows the figure.", [evidence]
    )
    claim = Claim.objects.get(pk=assignment.claim_id)
    assert claim.state == ClaimState.IN_REVIEW
    return claim


@pytest.fixture
def published_claim(claim_in_review, other_editor) -> Claim:
    return services.claim_publish(actor=other_editor, claim=claim_in_review)


@pytest.fixture
def two_reviewer_claim(submitter, editor, reviewer, second_reviewer):
    """A high-priority claim in research with both reviewers assigned and one evidence item.

    Returns ``(claim, first_assignment, second_assignment, evidence)``.
    """
    claim = services.claim_triage(
        actor=editor,
        claim=factories.ClaimFactory(submitted_by=submitter, priority=Priority.HIGH),
    )
    first = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    second = services.assignment_create(actor=editor, claim=claim, reviewer=second_reviewer)
    item = add_evidence(
        reviewer, claim, "Appropriations act", "https://records.example/act", credibility=2
    )
    return claim, first, second, item


@pytest.fixture
def editor_who_reviewed(triaged_claim, editor):
    """Someone on both desks who reviewed ``triaged_claim`` (now in review): they may review,
    and they may publish other people's work, but not this claim."""
    both = factories.ReviewerFactory(username="both", roles=[Role.REVIEWER, Role.EDITOR])
    offer = services.assignment_create(actor=editor, claim=triaged_claim, reviewer=both)
    item = add_evidence(both, triaged_claim)
    submit_review(both, offer, "true", "high", "The table shows it.", [item])
    return both


@pytest.fixture
def suggested_match(db):
    """``(candidate, existing, match)``: the candidate claim's appearance suggested at ingestion
    as a likely duplicate of the existing claim (similarity 0.7, one shared figure)."""
    existing = factories.ClaimFactory(statement="Israel gets $3.8 billion a year in aid.")
    factories.AppearanceFactory(claim=existing)
    candidate = factories.ClaimFactory(statement="Israel receives $3.8 billion every year.")
    appearance = factories.AppearanceFactory(claim=candidate)
    match = claim_match_record(
        appearance=appearance,
        existing=existing,
        score=0.7,
        words=0.75,
        shared_figures=1,
        outcome=MatchOutcome.SUGGESTED,
    )
    return candidate, existing, match


@pytest.fixture
def failed_ingest_job(editor) -> IngestJob:
    """``editor``'s ingest job of a URL that answered 404, failed with that error."""
    return IngestJob.objects.create(
        created_by=editor,
        kind=IngestKind.URL,
        input="https://news.example/gone",
        status=IngestStatus.FAILED,
        error="https://news.example/gone answered HTTP 404 (Not Found).",
    )


@pytest.fixture
def half_reviewed_claim(submitter, editor, reviewer, second_reviewer):
    """A high-priority claim needing two reviews; only ``reviewer`` has submitted."""
    claim = factories.ClaimFactory(submitted_by=submitter, priority=Priority.HIGH)
    services.claim_triage(actor=editor, claim=claim)
    first = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    services.assignment_create(actor=editor, claim=claim, reviewer=second_reviewer)
    evidence = factories.EvidenceFactory(claim=claim)
    submit_review(
        reviewer,
        first,
        "mostly_false",
        "moderate",
        "The ministry's own table contradicts it.",
        [evidence],
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.IN_RESEARCH and claim.consensus_rating == "mostly_false"
    return claim


@pytest.fixture
def unverifiable_claim(editor, reviewer) -> Claim:
    """A claim in review whose only review says "unverifiable", with no evidence at all."""
    claim = factories.ClaimFactory()
    services.claim_triage(actor=editor, claim=claim)
    offer = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    submit_review(reviewer, offer, "unverifiable", "moderate", "No record either way.")
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def desk_and_client(db, client):
    """The overview's small desk (``tests/dashboard_desk.py``), and a client logged in as its
    editor: ``(desk, client)``."""
    from tests.dashboard_desk import build_desk

    desk = build_desk()
    client.force_login(desk.editor)
    return desk, client
