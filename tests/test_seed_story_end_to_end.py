"""The seed article's "$3.8 billion a year" claim, end to end through the services:
source → claim with its quantity and appearance → triage → assignment → evidence → review →
sign-off by another editor → published, with the whole timeline and history on record.

The article is read at run time from ``../shared/seed/article.md``; nothing of it is copied
here except the pattern of the figure we look for.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from claims.extraction.sentences import sentence_around
from claims.models import (
    Appearance,
    Attribution,
    Claim,
    ClaimState,
    Period,
    Quantity,
    QuantityKind,
    SpeakerKind,
)
from claims.services import (
    AppearanceData,
    QuantityData,
    claim_create,
    source_get_or_create,
    speaker_get_or_create,
)
from tests.conftest import submit_review
from verification import services
from verification.models import (
    Assignment,
    AssignmentState,
    Evidence,
    Review,
    WorkflowAction,
    WorkflowEvent,
)

pytestmark = pytest.mark.django_db

ARTICLE = Path(settings.BASE_DIR).parent / "shared" / "seed" / "article.md"
# Markdown escapes the dollar sign ("\$"); the figure is a decimal number of billions a year.
FIGURE = re.compile(r"\\?\$(?P<amount>\d+(?:\.\d+)?) billion a year")


@pytest.fixture
def article_text() -> str:
    if not ARTICLE.exists():
        pytest.fail(f"The seed article is missing: {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")


def test_the_seed_storys_aid_figure_goes_from_article_to_published_verdict(
    article_text, submitter, editor, other_editor, reviewer
):
    # 1. Store the article once: storing it again (even re-wrapped) finds the same source.
    title = re.search(r"^# (.+)$", article_text, re.MULTILINE).group(1).strip()
    byline = re.search(r"^\*\*By (.+?)\*\*", article_text, re.MULTILINE).group(1).strip()
    stored = source_get_or_create(actor=editor, title=title, text=article_text, author=byline)
    again = source_get_or_create(actor=editor, title=title, text=article_text, author=byline)
    rewrapped = source_get_or_create(actor=editor, title=title, text=" ".join(article_text.split()))
    assert stored.created
    assert not again.created
    assert not rewrapped.created
    assert again.source.pk == rewrapped.source.pk == stored.source.pk
    source = stored.source

    # 2. Find the figure and the sentence it is in, in the stored text.
    match = FIGURE.search(source.text)
    assert match, "the seed article no longer states a figure in billions a year"
    amount = Decimal(match.group("amount"))
    start, end = sentence_around(source.text, match.start(), match.end())
    quote = source.text[start:end]
    assert match.group(0) in quote
    assert start <= match.start() < match.end() <= end

    # 3. A span that does not reproduce the quote is refused, and nothing is stored.
    author = speaker_get_or_create(name=byline, role="reporter", kind=SpeakerKind.PERSON)
    with pytest.raises(ValidationError):
        claim_create(
            actor=submitter,
            statement="A misplaced quote.",
            appearances=[AppearanceData(source=source, quote=quote, start=start + 1)],
        )
    assert not Claim.objects.exists()

    # 4. The claim, in the desk's own neutral words, with its quantity and appearance.
    claim = claim_create(
        actor=submitter,
        statement=f"U.S. military aid to Israel amounts to {amount} billion dollars per year.",
        quantities=[
            QuantityData(
                value=amount * 1_000_000_000,
                unit="USD",
                kind=QuantityKind.MONEY,
                period=Period.YEAR,
                text=match.group(0).lstrip("\\"),
            )
        ],
        appearances=[
            AppearanceData(
                source=source,
                quote=quote,
                start=start,
                speaker=author,
                attribution=Attribution.ASSERTED,
            )
        ],
    )
    assert claim.statement not in source.text
    quantity = Quantity.objects.get(claim=claim)
    assert (quantity.value, quantity.unit, quantity.period, quantity.approximate) == (
        Decimal("3800000000"),
        "USD",
        Period.YEAR,
        False,
    )
    appearance = Appearance.objects.get(claim=claim)
    assert (appearance.start, appearance.end) == (start, end)
    assert source.text[appearance.start : appearance.end] == appearance.quote == quote

    # 5. Triage, assignment (research starts), acceptance, evidence, review.
    services.claim_triage(actor=editor, claim=claim, note="A precise, checkable figure.")
    assignment = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    services.assignment_accept(actor=reviewer, assignment=assignment)
    item = services.evidence_add(
        actor=reviewer,
        claim=claim,
        title="Memorandum of understanding on security assistance",
        url="https://records.example/mou-security-assistance",
        publisher="Department of State",
        excerpt="Annual foreign military financing under the memorandum.",
        stance="supports",
        source_reliability="A",
        credibility=1,
    )
    review = submit_review(
        reviewer,
        assignment,
        "true",
        "high",
        "The memorandum sets the annual figure the article gives.",
        [item],
    )
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.IN_REVIEW

    # 6. Sign-off by an editor who neither submitted nor reviewed it.
    published = services.claim_publish(actor=other_editor, claim=claim, note="Signed off.")

    claim.refresh_from_db()
    assert (claim.state, claim.published_by) == (ClaimState.PUBLISHED, other_editor)
    assert claim.published_at is not None
    assert published.is_locked
    assert (claim.consensus_rating, claim.consensus_confidence) == ("true", "high")
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.SUBMITTED

    # 7. The whole timeline, in order, with who did each step.
    timeline = [
        (e.action, e.from_state, e.to_state, e.actor, e.assignment_id)
        for e in WorkflowEvent.objects.filter(claim=claim)
    ]
    assert timeline == [
        (WorkflowAction.CREATE, "", ClaimState.NEW, submitter, None),
        (WorkflowAction.TRIAGE, ClaimState.NEW, ClaimState.TRIAGED, editor, None),
        (WorkflowAction.ASSIGN, "", AssignmentState.OFFERED, editor, assignment.pk),
        (WorkflowAction.START_RESEARCH, ClaimState.TRIAGED, ClaimState.IN_RESEARCH, editor, None),
        (
            WorkflowAction.ACCEPT,
            AssignmentState.OFFERED,
            AssignmentState.ACCEPTED,
            reviewer,
            assignment.pk,
        ),
        (
            WorkflowAction.REVIEW,
            AssignmentState.ACCEPTED,
            AssignmentState.SUBMITTED,
            reviewer,
            assignment.pk,
        ),
        (
            WorkflowAction.SUBMIT_FOR_SIGNOFF,
            ClaimState.IN_RESEARCH,
            ClaimState.IN_REVIEW,
            None,
            None,
        ),
        (WorkflowAction.PUBLISH, ClaimState.IN_REVIEW, ClaimState.PUBLISHED, other_editor, None),
    ]

    # 8. History on every audited model.
    def rows(model, pk: int) -> list[tuple]:
        return [
            (r.history_type, getattr(r, "state", None), r.history_user)
            for r in model.history.filter(id=pk).order_by("history_id")
        ]

    assert [(kind, state) for kind, state, _who in rows(Claim, claim.pk)] == [
        ("+", ClaimState.NEW),
        ("~", ClaimState.TRIAGED),
        ("~", ClaimState.IN_RESEARCH),
        ("~", ClaimState.IN_REVIEW),
        ("~", ClaimState.PUBLISHED),
    ]
    assert rows(Claim, claim.pk)[-1][2] == other_editor
    assert [kind for kind, _state, _who in rows(Appearance, appearance.pk)] == ["+"]
    assert Appearance.history.get(id=appearance.pk).quote == quote
    assert rows(Evidence, item.pk) == [("+", None, reviewer)]
    assert [(kind, who) for kind, _state, who in rows(Review, review.pk)] == [
        ("+", reviewer),
        ("~", reviewer),
    ]
    assert rows(Assignment, assignment.pk) == [
        ("+", AssignmentState.OFFERED, editor),
        ("~", AssignmentState.ACCEPTED, reviewer),
        ("~", AssignmentState.SUBMITTED, reviewer),
    ]
    assert Review.objects.filter(claim=claim).count() == 1
