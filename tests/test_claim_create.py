"""Creating a claim stores it with its quantities and appearances, all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from claims.models import (
    Appearance,
    Attribution,
    Claim,
    ClaimState,
    Period,
    Priority,
    Quantity,
    QuantityKind,
)
from claims.services import AppearanceData, QuantityData, claim_create, topics_get_or_create
from tests import factories
from verification.models import WorkflowAction, WorkflowEvent

TEXT = (
    "The United States gives Israel 3.8 billion dollars a year in security assistance. "
    "Officials said about 10,000 people had been killed, a figure impossible to confirm."
)
AID = "3.8 billion dollars a year"
TOLL = "about 10,000 people had been killed"


@pytest.fixture
def source(db):
    return factories.SourceFactory(text=TEXT)


@pytest.fixture
def speaker(db):
    return factories.SpeakerFactory(name="Gaza health ministry", role="")


def _at(source, quote: str, **extra) -> AppearanceData:
    return AppearanceData(source=source, quote=quote, start=source.text.index(quote), **extra)


def _nothing_stored() -> dict[str, int]:
    return {
        "claims": Claim.objects.count(),
        "claim history": Claim.history.count(),
        "quantities": Quantity.objects.count(),
        "appearances": Appearance.objects.count(),
        "events": WorkflowEvent.objects.count(),
    }


def test_a_claim_is_created_new_with_its_parts_and_a_created_event(editor, source, speaker):
    topics = topics_get_or_create(["Military aid"])

    claim = claim_create(
        actor=editor,
        statement="  The U.S. gives Israel $3.8 billion a year in security assistance.  ",
        priority=Priority.HIGH,
        topics=topics,
        quantities=[
            QuantityData(value=3.8e9, unit="USD", kind=QuantityKind.MONEY, period=Period.YEAR)
        ],
        appearances=[_at(source, AID, speaker=speaker, attribution=Attribution.SAID)],
        checkworthiness=0.92,
    )

    stored = Claim.objects.get(pk=claim.pk)
    assert stored.statement == "The U.S. gives Israel $3.8 billion a year in security assistance."
    assert stored.state == ClaimState.NEW
    assert stored.priority == Priority.HIGH
    assert stored.submitted_by == editor
    assert stored.checkworthiness == pytest.approx(0.92)
    assert list(stored.topics.values_list("slug", flat=True)) == ["military-aid"]
    assert stored.quantities.get().unit == "USD"
    appearance = stored.appearances.get()
    assert (appearance.speaker, appearance.created_by) == (speaker, editor)
    event = WorkflowEvent.objects.get(claim=stored)
    assert (event.action, event.actor, event.to_state) == (
        WorkflowAction.CREATE,
        editor,
        ClaimState.NEW,
    )


def test_an_invalid_third_appearance_leaves_nothing_behind(editor, reviewer, source):
    before = _nothing_stored()
    appearances = [
        _at(source, AID),
        _at(source, TOLL),
        # The quote's span is shifted by one: it does not reproduce the quote.
        AppearanceData(source=source, quote="impossible to confirm", start=TEXT.index("imp") + 1),
    ]

    with pytest.raises(ValidationError) as refused:
        claim_create(
            actor=reviewer,
            statement="About 10,000 people were killed.",
            quantities=[QuantityData(value=10000, unit="people", approximate=True)],
            appearances=appearances,
        )

    assert "quote" in refused.value.message_dict
    assert _nothing_stored() == before == dict.fromkeys(before, 0)


def test_an_invalid_quantity_leaves_nothing_behind(editor, source):
    with pytest.raises(ValidationError) as refused:
        claim_create(
            actor=editor,
            statement="Aid is worth billions.",
            quantities=[
                QuantityData(value="3.8e9", unit="USD"),
                QuantityData(value="a lot", unit="USD"),
            ],
            appearances=[_at(source, AID)],
        )

    assert "value" in refused.value.message_dict
    assert _nothing_stored() == dict.fromkeys(_nothing_stored(), 0)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (3.8e9, Decimal("3800000000")),
        ("3.8e9", Decimal("3800000000")),
        (10_000, Decimal("10000")),
        # A float that binary cannot hold exactly is stored as the decimal a person wrote.
        (0.1, Decimal("0.1")),
        (Decimal("2000.5"), Decimal("2000.5")),
    ],
)
def test_quantities_are_stored_as_exact_decimals(editor, given, expected):
    claim = claim_create(
        actor=editor,
        statement="A figure.",
        quantities=[QuantityData(value=given, unit="USD", kind=QuantityKind.MONEY)],
    )

    value = Quantity.objects.get(claim=claim).value
    assert isinstance(value, Decimal)
    assert value == expected


def test_a_quantity_keeps_its_period_and_approximation(editor):
    claim = claim_create(
        actor=editor,
        statement="About 10,000 killed; 3.8 billion a year.",
        quantities=[
            QuantityData(value=10000, unit="people", approximate=True, text="about 10,000"),
            QuantityData(value=3.8e9, unit="USD", kind=QuantityKind.MONEY, period=Period.YEAR),
        ],
    )

    toll, aid = Quantity.objects.filter(claim=claim).order_by("id")
    assert str(toll) == "about 10000 people"
    assert str(aid) == "3800000000 USD per year"


@pytest.mark.parametrize("checkworthiness", [-0.01, 1.01])
def test_checkworthiness_outside_0_to_1_is_refused_by_the_service(editor, checkworthiness):
    with pytest.raises(ValidationError) as refused:
        claim_create(actor=editor, statement="A figure.", checkworthiness=checkworthiness)

    assert "claim_checkworthiness_0_1" in str(refused.value)
    assert not Claim.objects.exists()


@pytest.mark.parametrize("checkworthiness", [-0.01, 1.01])
def test_checkworthiness_outside_0_to_1_is_refused_by_the_database(submitter, checkworthiness):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            statement="A figure.", submitted_by=submitter, checkworthiness=checkworthiness
        )


@pytest.mark.parametrize("checkworthiness", [0.0, 1.0, None])
def test_checkworthiness_at_the_bounds_or_empty_is_accepted(editor, checkworthiness):
    claim = claim_create(actor=editor, statement="A figure.", checkworthiness=checkworthiness)

    assert Claim.objects.get(pk=claim.pk).checkworthiness == checkworthiness


def test_an_outsider_cannot_submit_a_claim(outsider, source):
    with pytest.raises(PermissionDenied):
        claim_create(actor=outsider, statement="A figure.", appearances=[_at(source, AID)])

    assert _nothing_stored() == dict.fromkeys(_nothing_stored(), 0)


def test_a_reviewer_may_submit_a_claim(reviewer):
    claim = claim_create(actor=reviewer, statement="A figure.")

    assert claim.submitted_by == reviewer


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"statement": "   "}, "statement"), ({"priority": "asap"}, "priority")],
)
def test_an_empty_statement_or_unknown_priority_is_refused(editor, fields, field):
    with pytest.raises(ValidationError) as refused:
        claim_create(actor=editor, **{"statement": "A figure.", **fields})

    assert field in refused.value.message_dict
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("quantity", "appearance", "field"),
    [
        ({"unit": "U" * 41}, {}, "unit"),
        ({"kind": "volume"}, {}, "kind"),
        ({"period": "fortnight"}, {}, "period"),
        ({}, {"attribution": "shouted"}, "attribution"),
    ],
)
def test_each_given_field_is_checked_by_its_model_fields_validators(
    editor, source, quantity, appearance, field
):
    with pytest.raises(ValidationError) as refused:
        claim_create(
            actor=editor,
            statement="Aid is worth billions.",
            quantities=[QuantityData(**{"value": "3.8e9", "unit": "USD", **quantity})],
            appearances=[_at(source, AID, **appearance)],
        )

    assert field in refused.value.message_dict
    assert _nothing_stored() == dict.fromkeys(_nothing_stored(), 0)
