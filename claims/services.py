"""Capture: sources, speakers, claims, their quantities and appearances.

Every writer of these rows (admin, API, importers, extraction) goes through these functions, so
the rules hold whichever door a request comes in by. Workflow moves live in
``verification.services``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.exceptions import WorkflowConflict
from claims.history import history_as
from claims.models import (
    Appearance,
    Attribution,
    Claim,
    ClaimState,
    Priority,
    Quantity,
    QuantityKind,
    Source,
    SourceKind,
    Speaker,
    SpeakerKind,
    Topic,
    content_hash_of,
)
from verification.models import WorkflowAction, WorkflowEvent
from verification.roles import require_desk_member, require_editor


@dataclass(frozen=True)
class QuantityData:
    value: Decimal | float | int | str
    unit: str
    kind: str = QuantityKind.COUNT
    period: str = ""
    approximate: bool = False
    text: str = ""


@dataclass(frozen=True)
class AppearanceData:
    source: Source
    quote: str
    start: int
    speaker: Speaker | None = None
    attribution: str = Attribution.REPORTED
    note: str = ""
    end: int | None = None  # defaults to start + len(quote)


@dataclass
class SourceResult:
    source: Source
    created: bool
    notes: list[str] = field(default_factory=list)


def source_get_or_create(
    *,
    actor: AbstractBaseUser | None,
    title: str,
    text: str = "",
    url: str | None = None,
    kind: str = SourceKind.ARTICLE,
    publisher: str = "",
    author: str = "",
    published_on: dt.date | None = None,
    language: str = "en",
) -> SourceResult:
    """Store a source once: the same text (or the same URL) returns the existing row.

    1. Hash the text (whitespace-folded) and look for a source with that hash or that URL.
    2. If found, return it untouched (``created=False``).
    3. Otherwise insert; a concurrent insert of the same text loses on the unique index and
       returns the winner's row.
    """
    url = url or None
    content_hash = content_hash_of(text) if text.strip() else None
    existing = _source_lookup(url=url, content_hash=content_hash)
    if existing is not None:
        return SourceResult(existing, created=False)
    source = Source(
        title=title.strip(),
        text=text,
        url=url,
        kind=kind,
        publisher=publisher,
        author=author,
        published_on=published_on,
        language=language,
        content_hash=content_hash,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    source.full_clean()
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        # Another writer stored the same text or URL between our lookup and insert.
        existing = _source_lookup(url=url, content_hash=content_hash)
        if existing is None:
            raise
        return SourceResult(existing, created=False)
    return SourceResult(source, created=True)


def _source_lookup(*, url: str | None, content_hash: str | None) -> Source | None:
    if content_hash:
        found = Source.objects.filter(content_hash=content_hash).first()
        if found:
            return found
    if url:
        return Source.objects.filter(url=url).first()
    return None


def speaker_get_or_create(*, name: str, role: str = "", kind: str = SpeakerKind.PERSON) -> Speaker:
    """One row per (name, role): "John Kirby, NSC spokesman" is found, not duplicated."""
    name, role = " ".join(name.split()), " ".join(role.split())
    if not name:
        raise ValidationError({"name": "A speaker needs a name."})
    speaker, _ = Speaker.objects.get_or_create(name=name, role=role, defaults={"kind": kind})
    return speaker


def topics_get_or_create(names: Iterable[str]) -> list[Topic]:
    from django.utils.text import slugify

    topics = []
    for name in names:
        name = " ".join(name.split())
        slug = slugify(name)
        if not slug:
            continue
        if len(slug) > Topic._meta.get_field("slug").max_length:
            raise ValidationError({"topics": f"The topic name {name[:40]!r}… is too long."})
        topic, _ = Topic.objects.get_or_create(slug=slug, defaults={"name": name})
        topics.append(topic)
    return topics


def validate_span(*, source: Source, quote: str, start: int, end: int) -> None:
    """The span [start, end) of the source's text must reproduce the quote exactly."""
    if not quote:
        raise ValidationError({"quote": "The quote is empty."})
    if start < 0 or end <= start:
        raise ValidationError({"start": f"The span [{start}, {end}) is empty or negative."})
    if end > len(source.text):
        raise ValidationError(
            {"end": f"The span ends at {end}, past the source's {len(source.text)} characters."}
        )
    found = source.text[start:end]
    if found != quote:
        raise ValidationError(
            {"quote": f"The source's text at [{start}, {end}) is {found[:80]!r}, not the quote."}
        )


def _ensure_editable(claim: Claim) -> None:
    """Refuse changes to a published claim. Call inside ``transaction.atomic``: the state is
    read under a row lock, because the caller's copy may predate a publish."""
    state = (
        Claim.objects.select_for_update().filter(pk=claim.pk).values_list("state", flat=True).get()
    )
    if state == ClaimState.PUBLISHED:
        raise WorkflowConflict(
            f"Claim #{claim.pk} is published and read-only; reopen it before changing it."
        )


def _appearance_build(
    claim: Claim, data: AppearanceData, actor: AbstractBaseUser | None
) -> Appearance:
    end = data.end if data.end is not None else data.start + len(data.quote)
    validate_span(source=data.source, quote=data.quote, start=data.start, end=end)
    if data.attribution == Attribution.SAID and data.speaker is None:
        raise ValidationError({"speaker": "A claim the speaker said needs its speaker."})
    return Appearance(
        claim=claim,
        source=data.source,
        quote=data.quote,
        start=data.start,
        end=end,
        speaker=data.speaker,
        attribution=data.attribution,
        note=data.note,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )


def claim_create(
    *,
    actor: AbstractBaseUser,
    statement: str,
    priority: str = Priority.NORMAL,
    topics: Sequence[Topic] = (),
    quantities: Sequence[QuantityData] = (),
    appearances: Sequence[AppearanceData] = (),
    checkworthiness: float | None = None,
) -> Claim:
    """Create a claim in state "new" with its quantities and appearances, all or nothing.

    1. Check the actor is on the desk and every part is valid (spans reproduce quotes).
    2. Insert the claim, its topics, quantities and appearances in one transaction.
    3. Record a "created" workflow event.
    """
    require_desk_member(actor, "submit a claim")
    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": "The statement is empty."})
    if priority not in Priority.values:
        raise ValidationError({"priority": f"{priority!r} is not a priority."})
    with transaction.atomic():
        claim = Claim(
            statement=statement,
            priority=priority,
            checkworthiness=checkworthiness,
            submitted_by=actor,
        )
        claim.full_clean(exclude=["state"])
        history_as(claim, actor)
        claim.save()
        claim.topics.set(topics)
        for quantity in quantities:
            quantity_add(actor=actor, claim=claim, data=quantity)
        for data in appearances:
            appearance = _appearance_build(claim, data, actor)
            history_as(appearance, actor)
            appearance.save()
        WorkflowEvent.objects.create(
            claim=claim, actor=actor, action=WorkflowAction.CREATE, to_state=claim.state
        )
    return claim


def claim_update(
    *,
    actor: AbstractBaseUser,
    claim: Claim,
    statement: str | None = None,
    priority: str | None = None,
    topics: Sequence[Topic] | None = None,
) -> Claim:
    """Edit a claim's wording, priority or topics; refused while it is published."""
    require_desk_member(actor, "edit a claim")
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        _ensure_editable(claim)
        if statement is not None:
            if not statement.strip():
                raise ValidationError({"statement": "The statement is empty."})
            claim.statement = statement.strip()
        if priority is not None:
            if priority not in Priority.values:
                raise ValidationError({"priority": f"{priority!r} is not a priority."})
            claim.priority = priority
        history_as(claim, actor)
        claim.save(update_fields=["statement", "priority", "updated_at"])
        if topics is not None:
            claim.topics.set(topics)
    return claim


def quantity_add(*, actor: AbstractBaseUser, claim: Claim, data: QuantityData) -> Quantity:
    """Attach a stated figure to a claim (refused while the claim is published)."""
    require_desk_member(actor, "add a quantity")
    try:
        value = Decimal(str(data.value))
    except ArithmeticError:
        raise ValidationError({"value": f"{data.value!r} is not a number."}) from None
    with transaction.atomic():
        _ensure_editable(claim)
        quantity = Quantity(
            claim=claim,
            value=value,
            unit=data.unit,
            kind=data.kind,
            period=data.period,
            approximate=data.approximate,
            text=data.text,
        )
        quantity.full_clean()
        quantity.save()
    return quantity


def appearance_add(*, actor: AbstractBaseUser, claim: Claim, data: AppearanceData) -> Appearance:
    """Record that a claim appears in a source, at a span that reproduces the quote.

    The same claim in a second article is a second appearance of one claim; the same span
    twice is refused.
    """
    require_desk_member(actor, "add an appearance")
    with transaction.atomic():
        _ensure_editable(claim)
        appearance = _appearance_build(claim, data, actor)
        if Appearance.objects.filter(
            claim=claim, source=data.source, start=appearance.start, end=appearance.end
        ).exists():
            raise ValidationError(
                {"start": "This claim already appears at that span of the source."}
            )
        history_as(appearance, actor)
        appearance.save()
    return appearance


def appearance_move(*, actor: AbstractBaseUser, appearance: Appearance, claim: Claim) -> Appearance:
    """Make an appearance one of another claim's: the desk found the two claims are the same.

    Refused while either claim is published, and when the target already has that span. The
    appearance keeps its id, so its history (and any match naming it) follows it.
    """
    require_editor(actor, "move an appearance to another claim")
    with transaction.atomic():
        appearance = Appearance.objects.select_for_update().get(pk=appearance.pk)
        if appearance.claim_id == claim.pk:
            return appearance
        for either in sorted((appearance.claim, claim), key=lambda c: c.pk):
            _ensure_editable(either)  # in id order, so two movers never wait on each other
        if Appearance.objects.filter(
            claim=claim, source_id=appearance.source_id, start=appearance.start, end=appearance.end
        ).exists():
            raise ValidationError(
                {"appearance": f"Claim #{claim.pk} already appears at that span of the source."}
            )
        appearance.claim = claim
        history_as(appearance, actor)
        appearance.save(update_fields=["claim"])
    return appearance
