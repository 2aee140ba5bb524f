"""Capture: claims, with the figures they state and the places they appear.

Every writer of these rows (admin, API, ingestion, ClaimReview and bulk import) goes through
here: :func:`claim_build` validates a claim, :func:`claims_create_many` writes many in a statement
a table, :func:`claim_create` is the two for one claim. Workflow moves are ``verification``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from claims.exceptions import WorkflowConflict
from claims.extraction.language import detect_language
from claims.history import history_as, signed_in
from claims.models import (
    Appearance,
    Attribution,
    Claim,
    ClaimState,
    Priority,
    Quantity,
    QuantityKind,
    Source,
    Speaker,
    Topic,
)
from claims.roles import require_desk_member, require_editor
from claims.signals import claims_created


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


def fields_clean(instance: models.Model, given: frozenset[str]) -> None:
    """Run ``clean_fields`` on the fields the caller gave only: the others hold the model's
    defaults, and checking them for each claim of an import only repeated work."""
    instance.clean_fields(exclude=_fields_besides(type(instance), given))


@cache
def _fields_besides(model: type[models.Model], given: frozenset[str]) -> frozenset[str]:
    return frozenset(f.name for f in model._meta.concrete_fields if f.name not in given)


CLAIM_GIVEN = frozenset({"statement", "priority", "checkworthiness"})
QUANTITY_GIVEN = frozenset({"value", "unit", "kind", "period", "approximate", "text"})
APPEARANCE_GIVEN = frozenset({"quote", "start", "end", "attribution", "note"})


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
    """Refuse changes to a published claim; inside ``atomic``, as the state is read under a row
    lock (the caller's copy may predate a publish)."""
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
    appearance = Appearance(claim=claim, **{**vars(data), "end": end}, created_by=signed_in(actor))
    # The related rows are the caller's instances: no query to check they exist.
    fields_clean(appearance, APPEARANCE_GIVEN)
    history_as(appearance, actor)
    return appearance


def _quantity_build(claim: Claim, data: QuantityData) -> Quantity:
    try:
        value = Decimal(str(data.value))
    except ArithmeticError:
        raise ValidationError({"value": f"{data.value!r} is not a number."}) from None
    quantity = Quantity(claim=claim, **{**vars(data), "value": value})
    fields_clean(quantity, QUANTITY_GIVEN)
    return quantity


@dataclass
class ClaimRows:
    """A new claim and its parts, built and validated, not yet written (:func:`claim_build`)."""

    claim: Claim
    actor: AbstractBaseUser
    topics: list[Topic] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    appearances: list[Appearance] = field(default_factory=list)

    def appearance_add(self, data: AppearanceData) -> None:
        """Add an appearance, validated as :func:`appearance_add` validates one."""
        appearance = _appearance_build(self.claim, data, self.actor)
        span = (appearance.source, appearance.start, appearance.end)
        if any((a.source, a.start, a.end) == span for a in self.appearances):
            raise ValidationError(
                {"start": "This claim already appears at that span of the source."}
            )
        self.appearances.append(appearance)


def claim_build(
    *,
    actor: AbstractBaseUser,
    statement: str,
    priority: str = Priority.NORMAL,
    topics: Sequence[Topic] = (),
    quantities: Sequence[QuantityData] = (),
    appearances: Sequence[AppearanceData] = (),
    checkworthiness: float | None = None,
    language: str = "",
) -> ClaimRows:
    """A claim in state "new" with its parts, every field validated, nothing written.

    Table constraints (checkworthiness within 0–1) are the database's: :func:`claims_create_many`
    names the one it refuses. ``language`` (ISO 639-1) is detected from the statement if not
    given, and left empty when the statement is too short to tell.
    """
    statement = _wording_checked(statement, priority)
    claim = Claim(
        statement=statement,
        priority=priority,
        checkworthiness=checkworthiness,
        submitted_by=actor,
        language=(language or detect_language(statement))[:16],
    )
    # The submitter is the signed-in actor: no query to check that row exists.
    fields_clean(claim, CLAIM_GIVEN)
    history_as(claim, actor)
    rows = ClaimRows(claim=claim, actor=actor, topics=list(dict.fromkeys(topics)))
    rows.quantities = [_quantity_build(claim, data) for data in quantities]
    for data in appearances:
        rows.appearance_add(data)
    return rows


def claims_create_many(*, actor: AbstractBaseUser, rows: Sequence[ClaimRows]) -> list[Claim]:
    """Write built claims (:func:`claim_build`) with their parts, all or nothing.

    1. Desk members only.
    2. One transaction, an INSERT a table whatever the number of claims: the claims and their
       appearances with their "created" history rows, topics, quantities, and (through the
       ``claims_created`` signal) a "created" workflow event each.
    3. A row the database refuses rolls everything back, and Django's own check of the built
       rows (``validate_constraints``) names the rule as a ``ValidationError``.
    """
    require_desk_member(actor, "submit a claim")
    claims = [r.claim for r in rows]
    if not claims:
        return []
    appearances = [a for r in rows for a in r.appearances]
    try:
        with transaction.atomic():
            # One clock reading for the batch's history rows, as one save reads one.
            now = timezone.now()
            bulk_create_with_history(claims, Claim, default_date=now)
            Claim.topics.through.objects.bulk_create(
                Claim.topics.through(claim_id=r.claim.pk, topic_id=topic.pk)
                for r in rows
                for topic in r.topics
            )
            Quantity.objects.bulk_create([q for r in rows for q in r.quantities])
            if appearances:
                bulk_create_with_history(appearances, Appearance, default_date=now)
            # The "created" workflow event, recorded by verification in this transaction.
            claims_created.send(sender=Claim, claims=claims, actor=actor)
    except IntegrityError:
        # Rolled back with the savepoint: now Django can say which rule the database applied.
        for row in (*claims, *(q for r in rows for q in r.quantities), *appearances):
            row.validate_constraints()
        raise
    return claims


def claim_create(*, actor: AbstractBaseUser, **given: Any) -> Claim:
    """:func:`claim_build` with ``given`` (``statement``, ``priority``, ``topics``, …), then
    :func:`claims_create_many` with that one claim."""
    require_desk_member(actor, "submit a claim")
    return claims_create_many(actor=actor, rows=[claim_build(actor=actor, **given)])[0]


def _wording_checked(statement: str | None, priority: str | None) -> str | None:
    """The statement stripped; ``ValidationError`` if it is empty or the priority unknown (each
    ``None`` when not given)."""
    if statement is not None and not statement.strip():
        raise ValidationError({"statement": "The statement is empty."})
    if priority is not None and priority not in Priority.values:
        raise ValidationError({"priority": f"{priority!r} is not a priority."})
    return statement and statement.strip()


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
        claim.statement = _wording_checked(statement, priority) or claim.statement
        claim.priority = priority or claim.priority
        history_as(claim, actor)
        claim.save(update_fields=["statement", "priority", "updated_at"])
        if topics is not None:
            claim.topics.set(topics)
    return claim


def quantity_add(*, actor: AbstractBaseUser, claim: Claim, data: QuantityData) -> Quantity:
    """Attach a stated figure to a claim (refused while the claim is published)."""
    require_desk_member(actor, "add a quantity")
    quantity = _quantity_build(claim, data)
    with transaction.atomic():
        _ensure_editable(claim)
        quantity.save()
    return quantity


def appearance_add(*, actor: AbstractBaseUser, claim: Claim, data: AppearanceData) -> Appearance:
    """Record that a claim appears in a source, at a span that reproduces the quote; the same
    span twice is refused (a second article is a second appearance)."""
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
        appearance.save()
    return appearance


def appearance_move(*, actor: AbstractBaseUser, appearance: Appearance, claim: Claim) -> Appearance:
    """Make an appearance another claim's (the two claims are one), keeping its id so that its
    history and matches follow; refused while either claim is published or the span is taken."""
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
