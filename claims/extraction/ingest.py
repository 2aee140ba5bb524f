"""Ingest an article: store it once, extract candidate claims, match them, create the new ones.

The service every door calls: ``manage.py ingest`` inline, and the ingest job's Celery task
(``claims.extraction.jobs``) for the admin's "Ingest an article" page, the API and
``manage.py ingest --async``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.exceptions import WorkflowConflict
from claims.extraction.candidates import Candidate, extract_candidates, scoring_note
from claims.extraction.documents import (
    Document,
    DocumentError,
    Format,
    document_from_path,
    document_from_text,
    document_from_url,
)
from claims.extraction.language import detect_language
from claims.extraction.matching import Match, find_matches
from claims.extraction.quantities import ParsedQuantity
from claims.models import (
    Appearance,
    Attribution,
    Claim,
    ClaimMatch,
    MatchOutcome,
    Source,
    SourceKind,
    Speaker,
)
from claims.roles import require_desk_member
from claims.services import (
    AppearanceData,
    QuantityData,
    SpeakerName,
    StatementData,
    appearance_add,
    claim_create,
    source_get_or_create,
    statements_record,
)

__all__ = ["DocumentError", "IngestResult", "Outcome", "source_ingest"]


class Action:
    CREATED = "created"  # a new claim in state "new" (``match``: a likely duplicate, if any)
    ATTACHED = "attached"  # a new appearance of an existing claim
    ALREADY = "already"  # this span of this source was extracted before
    NOT_PROPOSED = "not proposed"  # a headline, or not check-worthy enough


@dataclass
class Outcome:
    candidate: Candidate
    action: str
    claim: Claim | None = None
    match: Match | None = None
    # The row that records ``match``: outcome "attached" or "suggested".
    claim_match: ClaimMatch | None = None


@dataclass
class IngestResult:
    source: Source
    source_created: bool
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. the English-model fallback

    def with_action(self, action: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == action]

    @property
    def created(self) -> list[Claim]:
        return [o.claim for o in self.with_action(Action.CREATED) if o.claim is not None]


def load_document(
    *,
    text: str | None = None,
    path: Path | str | None = None,
    url: str | None = None,
    format: str = Format.AUTO,
) -> Document:
    """The document from exactly one of ``text``, ``path`` or ``url``."""
    given = [name for name, value in (("text", text), ("path", path), ("url", url)) if value]
    if len(given) != 1:
        raise DocumentError("Give exactly one of text, path or url.")
    if text:
        return document_from_text(text, format=format)
    if path:
        return document_from_path(Path(path), format=format)
    return document_from_url(str(url))


def source_ingest(
    *,
    actor: AbstractBaseUser,
    text: str | None = None,
    path: Path | str | None = None,
    url: str | None = None,
    title: str = "",
    publisher: str = "",
    author: str = "",
    published_on: dt.date | None = None,
    kind: str = SourceKind.ARTICLE,
    format: str = Format.AUTO,
    progress: Callable[[int, int], None] | None = None,
) -> IngestResult:
    """Store an article once and turn its sentences into claims in state "new"; a second run
    on the same article creates nothing.

    1. Check the actor is on the desk; read the document (text, file or URL).
    2. Store the source (``source_get_or_create``: the same text is the same source); extraction
       reads the *stored* text, so spans are always spans of it.
    3. Extract candidates and record the attributed sentences with their scores.
    4. Each proposed candidate, in order and in its own transaction, is skipped if its span was
       extracted before, else matched: above the attach threshold it becomes an appearance of
       the match ("attached" ``ClaimMatch``), else a new claim ("suggested" above the suggest
       threshold). A published claim takes no appearance: the candidate is suggested instead.
    5. Report progress after each candidate; return what happened to each.
    """
    require_desk_member(actor, "ingest an article")
    document = load_document(text=text, path=path, url=url, format=format)
    if document.format == Format.TRANSCRIPT and kind == SourceKind.ARTICLE:
        kind = SourceKind.TRANSCRIPT
    language = document.language or detect_language(
        document.clean_view().text, default=settings.LANGUAGE_CODE.split("-")[0]
    )
    stored = source_get_or_create(
        actor=actor,
        title=(title or document.title or "Untitled source")[:500],
        text=document.text,
        url=document.url,
        kind=kind,
        publisher=(publisher or document.publisher)[:200],
        author=(author or document.author)[:200],
        published_on=published_on or _date(document.published),
        language=language,
    )
    source = stored.source
    candidates = extract_candidates(
        Document(text=source.text, format=document.format, language=source.language)
    )
    # Every attributed sentence is recorded with its speaker, whether or not it becomes a claim.
    speakers = statements_record(
        actor=actor, source=source, statements=[s for c in candidates if (s := statement_of(c))]
    )
    result = IngestResult(source=source, source_created=stored.created)
    if note := scoring_note(source.language):
        result.notes.append(note)
    extracted = set(Appearance.objects.filter(source=source).values_list("start", "end"))
    for index, candidate in enumerate(candidates, start=1):
        if not candidate.is_proposed():
            result.outcomes.append(Outcome(candidate, Action.NOT_PROPOSED))
        elif (candidate.start, candidate.end) in extracted:
            result.outcomes.append(Outcome(candidate, Action.ALREADY, _claim_at(source, candidate)))
        else:
            speaker = speakers.get(speaker_name(candidate)) if candidate.speaker else None
            result.outcomes.append(
                _propose(actor=actor, source=source, candidate=candidate, speaker=speaker)
            )
        if progress is not None:
            progress(index, len(candidates))
    return result


def _propose(
    *, actor: AbstractBaseUser, source: Source, candidate: Candidate, speaker: Speaker | None
) -> Outcome:
    with transaction.atomic():
        matches = find_matches(
            statement=candidate.statement,
            quantities=candidate.quantities,
            language=source.language,
        )
        best = matches[0] if matches else None
        data = _appearance(source, candidate, speaker)
        if best is not None and best.attach and not best.claim.is_locked:
            try:
                appearance = appearance_add(actor=actor, claim=best.claim, data=data)
            except WorkflowConflict:
                pass  # published since it was matched: a new claim, suggested, as below
            else:
                row = _record(appearance, best, MatchOutcome.ATTACHED)
                return Outcome(candidate, Action.ATTACHED, best.claim, best, row)
        claim = claim_create(
            actor=actor,
            statement=candidate.statement,
            quantities=[q for parsed in candidate.quantities for q in quantity_data(parsed)],
            appearances=[data],
            checkworthiness=round(candidate.score, 4),
            language=source.language,
        )
        if best is None or not best.suggest:
            return Outcome(candidate, Action.CREATED, claim)
        row = _record(Appearance.objects.get(claim=claim), best, MatchOutcome.SUGGESTED)
    return Outcome(candidate, Action.CREATED, claim, best, row)


def claim_match_record(
    *,
    appearance: Appearance,
    existing: Claim,
    score: float,
    words: float,
    shared_figures: int,
    outcome: str,
) -> ClaimMatch:
    """Record, once per pair, that ingestion suggested or attached ``appearance`` to a claim."""
    if outcome not in (MatchOutcome.SUGGESTED, MatchOutcome.ATTACHED):
        raise ValueError(f"Ingestion records a suggestion or an attachment, not {outcome!r}.")
    match, _ = ClaimMatch.objects.get_or_create(
        appearance=appearance,
        existing=existing,
        defaults={
            "score": min(max(score, 0.0), 1.0),
            "words": min(max(words, 0.0), 1.0),
            "shared_figures": shared_figures,
            "outcome": outcome,
        },
    )
    return match


def _record(appearance: Appearance, match: Match, outcome: str) -> ClaimMatch:
    return claim_match_record(
        appearance=appearance,
        existing=match.claim,
        score=match.score,
        words=match.words,
        shared_figures=match.shared_figures,
        outcome=outcome,
    )


def speaker_name(candidate: Candidate) -> SpeakerName:
    assert candidate.speaker is not None
    return SpeakerName(
        name=candidate.speaker.name[:200],
        role=candidate.speaker.role[:300],
        kind=candidate.speaker.kind,
    )


def statement_of(candidate: Candidate) -> StatementData | None:
    """The attributed statement a candidate records, if the article names its speaker."""
    if candidate.speaker is None or candidate.heading:
        return None
    return StatementData(
        start=candidate.start,
        end=candidate.end,
        quote=candidate.quote,
        speaker=speaker_name(candidate),
        attribution=candidate.attribution,
        cue=candidate.cue,
        quoted=candidate.quoted,
        score=round(candidate.score, 4),
        timecode=dt.timedelta(seconds=candidate.time) if candidate.time is not None else None,
    )


def _appearance(source: Source, candidate: Candidate, speaker: Speaker | None) -> AppearanceData:
    # The note holds the article's own hedges only; likely duplicates are ClaimMatch rows.
    attribution = candidate.attribution
    if attribution == Attribution.SAID and speaker is None:
        # "Said" needs a speaker (claims.services); without one the article only reports it.
        attribution = Attribution.REPORTED
    return AppearanceData(
        source=source,
        quote=candidate.quote,
        start=candidate.start,
        end=candidate.end,
        speaker=speaker,
        attribution=attribution,
        note=candidate.note,
    )


def quantity_data(parsed: ParsedQuantity) -> list[QuantityData]:
    """What the claim stores of a parsed figure: one quantity, or both ends of a range."""
    values = [parsed.value] if parsed.high is None else [parsed.value, parsed.high]
    return [
        QuantityData(
            value=value,
            unit=parsed.unit[:40],
            kind=parsed.kind,
            period=parsed.period,
            approximate=parsed.approximate or parsed.high is not None,
            text=parsed.text[:200],
        )
        for value in values
    ]


def _claim_at(source: Source, candidate: Candidate) -> Claim | None:
    appearance = (
        Appearance.objects.filter(source=source, start=candidate.start, end=candidate.end)
        .select_related("claim")
        .first()
    )
    return appearance.claim if appearance else None


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
