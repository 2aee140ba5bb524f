"""The claim serializer writes its rows value by value rather than through DRF's field-by-field
path (the benchmark's page of 50 spent most of its time there), and reads the caller's
workflow moves from a table of the FSM's transitions per state. The rows must be what the
declared fields (and so the OpenAPI schema) say, as DRF's generic path writes them, with the
verdict hidden as blind review says: the same JSON, byte for byte, for claims in every state,
seen by every role. A list page is the serializer's rows for its claims."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from claims.api.serializers import (
    AppearanceSerializer,
    QuantitySerializer,
    SpeakerSerializer,
)
from claims.models import Attribution, Claim, ClaimState
from claims.selectors import claim_list
from claims.services import AppearanceData, QuantityData, claim_create
from tests import factories
from tests.api.conftest import client_for
from tests.conftest import add_evidence, submit_review
from verification import services
from verification.api.claim_serializers import ClaimSerializer
from verification.api.moves import (
    _CLAIM_ENDPOINTS,
    ClaimMove,
    claim_endpoints_by_state,
    claim_moves_for,
    editor_claim_moves,
)
from verification.selectors import reviewed_by, verdict_visibility
from verification.services.assignments import ASSIGNABLE_CLAIM_STATES

ROLES = ("anonymous", "outsider", "reviewer", "editor", "admin")


def _claim(editor, index: int, *, speaker: bool = True):
    source = factories.SourceFactory(created_by=editor)
    return claim_create(
        actor=editor,
        statement=f"Claim {index} puts the deficit at 3.5 billion.",
        priority="high" if index % 2 else "normal",
        topics=[factories.TopicFactory(), factories.TopicFactory()] if index % 3 else [],
        checkworthiness=None if index % 2 else 0.25 * (index % 4),
        quantities=[
            QuantityData(value=Decimal("3500000000.5"), unit="USD", approximate=True),
            QuantityData(value=Decimal("0.000001"), unit="%", period="year"),
        ],
        appearances=[
            AppearanceData(
                source,
                source.text[:5],
                0,
                factories.SpeakerFactory() if speaker else None,
                Attribution.SAID if speaker else Attribution.ASSERTED,
            ),
            AppearanceData(source, source.text[6:11], 6, None, Attribution.REPORTED, "A note."),
        ],
    )


@pytest.fixture
def desk(editor, other_editor, reviewer, second_reviewer) -> list[Claim]:
    """A claim in every state (some twice, reviewed by one or both reviewers), with topics or
    none, figures, and appearances with and without a speaker."""
    claims = [_claim(editor, index, speaker=index % 2 == 0) for index in range(8)]
    services.claim_dismiss(actor=editor, claim=claims[1], reason="An opinion.")
    for index, claim in enumerate(claims[2:], start=2):
        claim = services.claim_triage(actor=editor, claim=claim)
        if index == 2:
            continue
        people = (reviewer, second_reviewer) if claim.required_reviews == 2 else (reviewer,)
        for person in people:
            assignment = services.assignment_create(actor=editor, claim=claim, reviewer=person)
            if index == 3:
                continue
            item = add_evidence(
                person,
                claim,
                "Record",
                f"https://records.example/{index}/{person.pk}",
                source_reliability="B",
                credibility=2,
            )
            submit_review(
                person,
                assignment,
                "false" if index % 2 else "true",
                "low",
                "The record says otherwise.",
                [item],
            )
        if index >= 6:
            services.claim_publish(actor=other_editor, claim=Claim.objects.get(pk=claim.pk))
    states = set(Claim.objects.values_list("state", flat=True))
    assert states == set(ClaimState.values)
    return claims


def _annotated(queryset, user):
    return queryset.annotate(
        verdict_visible=verdict_visibility(user), reviewed_by_caller=reviewed_by(user)
    ).order_by("id")


def _as_blind_review_shows(row: dict) -> dict:
    """DRF's generic row with what the caller may not see of the verdict hidden, and no
    consensus (an empty string) written as null."""
    visible = row["verdict_visible"]
    for name in ("consensus_rating", "consensus_confidence"):
        row[name] = (row[name] or None) if visible else None
    row["agreement"] = row["agreement"] if visible else None
    row["published_rating"] = row["published_rating"] or None
    return row


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"])
@pytest.mark.parametrize("role", ROLES)
def test_rows_are_byte_for_byte_what_drfs_field_path_gives(
    desk, role_user, role, zone, monkeypatch
):
    user = role_user(role) or AnonymousUser()
    context = {"request": SimpleNamespace(user=user)}
    with timezone.override(zone):
        claims = list(_annotated(claim_list(), user))
        rows = [ClaimSerializer(context=context).to_representation(claim) for claim in claims]
        # DRF's own path for the claim and its parts: a bound field per declared field.
        generic_path = serializers.ModelSerializer.to_representation
        for written in (
            ClaimSerializer,
            AppearanceSerializer,
            QuantitySerializer,
            SpeakerSerializer,
        ):
            monkeypatch.setattr(written, "to_representation", generic_path)
        generic = [
            _as_blind_review_shows(ClaimSerializer(context=context).to_representation(claim))
            for claim in claims
        ]
    assert len(rows) == len(desk)
    assert list(rows[0]) == ClaimSerializer.Meta.fields
    assert JSONRenderer().render(rows) == JSONRenderer().render(generic)


def test_a_page_of_claims_is_read_in_four_queries_and_one_claim_alone_the_same(desk, editor):
    context = {"request": SimpleNamespace(user=editor)}
    with CaptureQueriesContext(connection) as queries:
        page = ClaimSerializer(_annotated(claim_list(), editor), many=True, context=context).data
    assert len(queries) == 4  # the claims, their topics, figures and appearances
    alone = [
        ClaimSerializer(claim, context=context).data for claim in _annotated(claim_list(), editor)
    ]
    assert JSONRenderer().render(page) == JSONRenderer().render(alone)


def _fsm_endpoints(state: str) -> tuple[str, ...]:
    transitions = Claim(state=state).get_available_state_transitions()
    return tuple(_CLAIM_ENDPOINTS[t.name] for t in transitions if t.name in _CLAIM_ENDPOINTS)


@pytest.mark.parametrize("state", ClaimState.values)
def test_the_table_holds_the_fsms_transitions_for_every_state(state):
    assert claim_endpoints_by_state()[state] == _fsm_endpoints(state)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ClaimState.values)
def test_moves_from_the_table_are_the_fsms_for_every_state_and_role(role_user, role, state):
    user = role_user(role) or AnonymousUser()
    is_editor = role in ("editor", "admin")
    for consensus in ("", "true"):
        for reviewed in (False, True):
            claim = Claim(state=state, consensus_rating=consensus)
            claim.reviewed_by_caller = reviewed
            expected = []
            if is_editor:
                for endpoint in _fsm_endpoints(state):
                    if endpoint == ClaimMove.PUBLISH and (reviewed or not consensus):
                        continue
                    expected.append(endpoint)
                if state in ASSIGNABLE_CLAIM_STATES:
                    expected.append(ClaimMove.ASSIGN)
                if state == ClaimState.PUBLISHED:  # changes that keep the state
                    expected += [ClaimMove.CORRECT, ClaimMove.UPDATE_VERDICT]
            assert claim_moves_for(user, claim) == expected
            assert claim_moves_for(user, claim, editor=is_editor) == expected
            if is_editor:  # what a list row reads, from the claim's values
                assert editor_claim_moves(state, bool(consensus), reviewed) == tuple(expected)


def _non_ascii_claim(editor) -> Claim:
    source = factories.SourceFactory(created_by=editor, text="L’INSEE dit « 3,5 % » — 😀\u2028ok")
    return claim_create(
        actor=editor,
        statement="Les dépenses ont augmenté de 3,5 % selon l’INSEE — “vraiment” 😀\u2028\u2029",
        priority="high",
        topics=[factories.TopicFactory()],
        checkworthiness=0.00001,
        quantities=[QuantityData(value=Decimal("-0.000001"), unit="€", text="3,5 %")],
        appearances=[AppearanceData(source, "L’INSEE", 0, None, Attribution.REPORTED, "Über")],
    )


def _list(user, url: str):
    response = client_for(user).get(url)
    assert response.status_code == 200
    return response


def _serializer_page(user, claims) -> list:
    context = {"request": SimpleNamespace(user=user)}
    return ClaimSerializer(list(claims), many=True, context=context).data


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
@pytest.mark.parametrize("role", ["reviewer", "editor", "admin"])
def test_a_list_page_is_the_serializers_output_for_its_claims_byte_for_byte(
    desk, editor, role_user, role, zone
):
    _non_ascii_claim(editor)
    user = role_user(role)
    with timezone.override(zone):
        response = _list(user, "/api/v1/claims/?page_size=50")
        claims = _annotated(claim_list(), user).order_by("-created_at", "-id")
        rows = _serializer_page(user, claims)

    assert len(rows) == len(desk) + 1
    page = {"count": len(rows), "next": None, "previous": None, "results": rows}
    assert response.content == JSONRenderer().render(page)


def test_a_cursor_page_of_claims_is_the_serializers_output_too(desk, editor):
    response = _list(editor, "/api/v1/claims/?cursor=&page_size=50")

    rows = _serializer_page(editor, _annotated(claim_list(), editor).order_by("-id"))
    assert len(rows) == len(desk)
    assert JSONRenderer().render(response.data["results"]) == JSONRenderer().render(rows)
