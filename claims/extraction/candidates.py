"""From an article to candidate claims: every sentence, scored, with its figures and speaker.

:func:`extract_candidates` is pure (no database); which candidates become claims is the ingest
service's decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from claims.extraction.attribution import Cue, SpeakerRef, attribute_sentences
from claims.extraction.documents import Document, Format
from claims.extraction.features import normalise
from claims.extraction.language import detect_language, extraction_language
from claims.extraction.quantities import ParsedQuantity, parse_quantities
from claims.extraction.scorer import get_scorer
from claims.extraction.sentences import split_sentences
from claims.extraction.transcripts import read_turns
from claims.models import Attribution


@dataclass(frozen=True)
class Candidate:
    """One sentence of the article as a possible claim."""

    start: int  # span in the stored text
    end: int
    quote: str  # the stored text at that span, verbatim (markup included)
    statement: str  # the sentence without markup, white space folded
    score: float  # check-worthiness, 0–1
    quantities: tuple[ParsedQuantity, ...] = ()
    attribution: str = Attribution.ASSERTED
    speaker: SpeakerRef | None = None
    note: str = ""
    heading: bool = False
    cue: str = ""  # how the speaker was found (claims.extraction.attribution.Cue)
    quoted: bool = False  # the sentence quotes its speaker's words
    time: float | None = None  # a caption's turn: seconds from the start of the recording

    def is_proposed(self, min_score: float | None = None) -> bool:
        """Worth a claim: a sentence (not a headline) that is check-worthy enough, states a
        figure, or quotes a named speaker (the quote itself is then what is checked)."""
        if self.heading:
            return False
        threshold = min_score_setting() if min_score is None else min_score
        # In a transcript every line is someone's; there the score decides.
        quotes_someone = (
            self.speaker is not None
            and self.attribution == Attribution.SAID
            and self.cue != Cue.TRANSCRIPT
        )
        return self.score >= threshold or bool(self.quantities) or quotes_someone


def min_score_setting() -> float:
    return float(getattr(settings, "EXTRACTION_MIN_SCORE", 0.5))


def scoring_note(language: str) -> str:
    """What the report says when check-worthiness is not scored by a model of ``language``:
    every scorer is English, so a text extraction reads by Portuguese or Spanish rules."""
    if not language or extraction_language(language) == "en":
        return ""
    return (
        f"Check-worthiness of this {language!r} text was scored by the English model: "
        "no multilingual check-worthiness model is installed, so its ranking is less reliable."
    )


def extract_candidates(document: Document) -> list[Candidate]:
    """Every sentence of ``document`` as a :class:`Candidate`, in the article's order (a
    transcript's: :func:`transcript_candidates`).

    1. Split the clean view into sentences by its language's rules.
    2. Read attributions over the whole article (names introduced early are used later).
    3. Score the sentences together, in order with their speakers, so a scorer reads context.
    4. Parse each sentence's figures and map its span back to the stored text.
    """
    if document.format == Format.TRANSCRIPT:
        return transcript_candidates(document)
    view = document.clean_view()
    language = document.language or detect_language(view.text, default="en")
    sentences = split_sentences(view.text, language)
    attributions = attribute_sentences(sentences, view.text)
    statements = [normalise(s.text) for s in sentences]
    scores = get_scorer().score_many(
        statements, [found.speaker.name if found.speaker else None for found in attributions]
    )
    return [
        _candidate(
            document,
            view.span(sentence.start, sentence.end, document.text),
            statement,
            score,
            quantities=() if sentence.heading else tuple(parse_quantities(statement, language)),
            attribution=found.attribution,
            speaker=found.speaker,
            note=found.note,
            cue=found.cue,
            quoted=found.quoted,
            heading=sentence.heading,
        )
        for sentence, statement, score, found in zip(
            sentences, statements, scores, attributions, strict=True
        )
    ]


def transcript_candidates(document: Document) -> list[Candidate]:
    """Every sentence of a stored transcript, in order, said by its turn's speaker: each turn
    split on its own (no sentence crosses speakers), all scored together with their speakers."""
    turns = read_turns(document.text, require_speaker=False)
    view_text = "\n\n".join(turn.text for turn in turns)
    language = document.language or detect_language(view_text, default="en")
    found = [(turn, s) for turn in turns for s in split_sentences(turn.text, language)]
    statements = [normalise(s.text) for _, s in found]
    scores = get_scorer().score_many(statements, [turn.speaker for turn, _ in found])
    return [
        _candidate(
            document,
            (turn.offsets[sentence.start], turn.offsets[sentence.end - 1] + 1),
            statement,
            score,
            quantities=tuple(parse_quantities(statement, language)),
            attribution=Attribution.SAID if turn.speaker else Attribution.ASSERTED,
            speaker=SpeakerRef(name=turn.speaker, role=turn.role) if turn.speaker else None,
            cue=Cue.TRANSCRIPT,
            time=turn.time,
        )
        for (turn, sentence), statement, score in zip(found, statements, scores, strict=True)
    ]


def _candidate(
    document: Document, span: tuple[int, int], statement: str, score: float, **fields: object
) -> Candidate:
    start, end = span
    quote = document.text[start:end]
    return Candidate(start=start, end=end, quote=quote, statement=statement, score=score, **fields)


def ranked(candidates: list[Candidate]) -> list[Candidate]:
    """Most check-worthy first; ties keep the article's order."""
    return sorted(candidates, key=lambda c: -c.score)
