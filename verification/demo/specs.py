"""What the story is written in: where a claim appears, and the workflow steps it takes.

Each step is carried out by :mod:`verification.demo.loader` with one service call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claims.models import Attribution, Priority
from claims.services import QuantityData
from verification.demo.people import EDITOR
from verification.models import InformationCredibility, SourceReliability


@dataclass(frozen=True)
class QuoteSpec:
    """Where a claim appears in the briefing (or the earlier checks' digest): a quote that
    occurs there exactly once."""

    quote: str
    attribution: str = Attribution.REPORTED
    speaker: str | None = None  # a key of people.SPEAKERS
    note: str = ""
    source: str = "briefing"  # or "earlier": the earlier checks' digest (story.earlier)


def said(speaker: str, quote: str, *, note: str = "") -> QuoteSpec:
    """A quote of what ``speaker`` (a key of people.SPEAKERS) said, in the briefing."""
    return QuoteSpec(quote, attribution=Attribution.SAID, speaker=speaker, note=note)


@dataclass(frozen=True)
class ArticleFigure:
    """Where a claim appears in the seed article: a figure found by pattern, widened to its
    sentence at run time, so no article text is written down here."""

    pattern: str
    attribution: str = Attribution.REPORTED
    speaker: str | None = None


# The workflow steps, each carried out with one service call.


@dataclass(frozen=True)
class Triage:
    by: str = EDITOR.username
    note: str = ""


@dataclass(frozen=True)
class Dismiss:
    reason: str
    by: str = EDITOR.username


@dataclass(frozen=True)
class Assign:
    reviewer: str
    accept: bool = True
    by: str = EDITOR.username


@dataclass(frozen=True)
class AddEvidence:
    key: str  # how a Review step cites it
    by: str
    title: str
    stance: str
    grade: str  # the Admiralty code: source reliability A–F, information credibility 1–6
    origin_key: str
    url: str = ""
    document_ref: str = ""
    publisher: str = ""
    excerpt: str = ""

    @property
    def source_reliability(self) -> str:
        return SourceReliability(self.grade[0])

    @property
    def credibility(self) -> int:
        return InformationCredibility(int(self.grade[1:]))


@dataclass(frozen=True)
class SubmitReview:
    reviewer: str
    rating: str
    confidence: str
    rationale: str
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Publish:
    by: str
    note: str = ""
    rating: str | None = None  # the editor overrules the consensus (the note says why)


@dataclass(frozen=True)
class OtherVerdict:
    """Another fact-checker's verdict on the claim, recorded beside the desk's (an import)."""

    publisher: str
    rating_text: str
    rating: str
    url: str
    by: str = EDITOR.username


Step = Triage | Dismiss | Assign | AddEvidence | SubmitReview | Publish | OtherVerdict


@dataclass(frozen=True)
class ClaimStory:
    statement: str
    topics: tuple[str, ...]
    submitted_by: str = EDITOR.username
    priority: str = Priority.NORMAL
    quantities: tuple[QuantityData, ...] = ()
    quotes: tuple[QuoteSpec, ...] = ()
    in_article: ArticleFigure | None = None
    steps: tuple[Step, ...] = field(default_factory=tuple)
