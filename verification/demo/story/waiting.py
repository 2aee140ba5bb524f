"""The story's claims no reviewer has yet: triaged and waiting for one, dismissed with the
reason on record, and new, waiting for triage. Quotes are spans of
:mod:`verification.demo.briefing`.
"""

from __future__ import annotations

from claims.models import Attribution, Priority, QuantityKind
from claims.services import QuantityData
from verification.demo.people import AID_REVIEWER, UKRAINE_REVIEWER
from verification.demo.specs import ClaimStory, Dismiss, QuoteSpec, Triage, said

WAITING: tuple[ClaimStory, ...] = (
    # Triaged, waiting for a reviewer.
    ClaimStory(
        statement="Russia's full-scale war in Ukraine had lasted 20 months by early November 2023.",
        topics=("Ukraine war",),
        priority=Priority.LOW,
        quantities=(
            QuantityData(value=20, unit="months", kind=QuantityKind.DURATION, text="20 months"),
        ),
        quotes=(
            QuoteSpec(
                "Russia's full-scale invasion had by then gone on for 20 months",
                attribution=Attribution.ASSERTED,
            ),
        ),
        steps=(Triage(),),
    ),
    ClaimStory(
        statement="Israel has been using 1,000-pound and 2,000-pound bombs in Gaza.",
        topics=("Weapons", "Israel-Gaza war"),
        submitted_by=AID_REVIEWER.username,
        quantities=(
            QuantityData(value=1000, unit="lb", kind=QuantityKind.WEIGHT, text="1,000 pounds"),
            QuantityData(value=2000, unit="lb", kind=QuantityKind.WEIGHT, text="2,000 pounds"),
        ),
        quotes=(said("officials", "bombs of 1,000 and 2,000 pounds"),),
        steps=(Triage(),),
    ),
    ClaimStory(
        statement="The war between Russia and Ukraine has reached a stalemate.",
        topics=("Ukraine war",),
        submitted_by=UKRAINE_REVIEWER.username,
        quotes=(said("zaluzhny", "called the war a stalemate"),),
        steps=(Triage(note="An assessment, but checkable against front-line changes."),),
    ),
    # Dismissed, with the reason on record.
    ClaimStory(
        statement="U.S. officials do not take part in choosing Israel's targets in Gaza.",
        topics=("Israel-Gaza war", "U.S. politics"),
        quotes=(
            said(
                "kirby",
                "American officials do not sit with Israeli planners when they choose targets",
            ),
        ),
        steps=(
            Dismiss(
                reason="About classified military practice: no public record could confirm or "
                "refute it, so there is nothing for the desk to check."
            ),
        ),
    ),
    # New, waiting for triage.
    ClaimStory(
        statement="U.S. presidents have repeatedly had less leverage over Israel than they "
        "expected.",
        topics=("U.S. politics", "Israel-Gaza war"),
        quotes=(
            said(
                "moulton",
                "American presidents have repeatedly discovered that their influence on Israeli "
                "decisions is smaller than they assumed",
            ),
        ),
    ),
    ClaimStory(
        statement="U.S. military aid to Ukraine is enough for it to keep fighting but not "
        "enough for it to win.",
        topics=("Ukraine war", "Military aid"),
        submitted_by=UKRAINE_REVIEWER.username,
        quotes=(said("lute", "gives Ukraine enough to keep fighting yet too little to prevail"),),
    ),
    ClaimStory(
        statement="Every U.S. transfer of security assistance, including to Israel, comes with "
        "assurances that the law of armed conflict will be respected.",
        topics=("Military aid", "U.S. politics"),
        quotes=(said("finan", "carries pledges to observe the laws of war"),),
    ),
)
