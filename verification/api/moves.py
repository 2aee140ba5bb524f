"""The workflow endpoints a caller may call on a claim or an assignment now, read from the FSM
declarations, the caller's role and the list query's annotations (no query more), and how a move
or an edit endpoint runs. The services decide in the end (409 when someone moved first)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from rest_framework.request import Request
from rest_framework.response import Response

from claims.models import Claim, ClaimState
from claims.roles import is_editor
from verification.models import Assignment
from verification.services.assignments import ASSIGNABLE_CLAIM_STATES


class ClaimMove(models.TextChoices):
    """Workflow endpoints under /claims/{id}/, by their URL names."""

    TRIAGE = "triage", "Triage"
    DISMISS = "dismiss", "Dismiss"
    RESTORE = "restore", "Restore"
    ASSIGN = "assign", "Assign a reviewer"
    SEND_BACK = "send-back", "Send back"
    PUBLISH = "publish", "Publish"
    REOPEN = "reopen", "Reopen"
    CORRECT = "correct", "Correct the published verdict"
    UPDATE_VERDICT = "update-verdict", "Update the published summary"
    WITHDRAW = "withdraw", "Withdraw the fact check"


class AssignmentMove(models.TextChoices):
    """Workflow endpoints under /assignments/{id}/."""

    ACCEPT = "accept", "Accept"
    DECLINE = "decline", "Decline"
    REVIEW = "review", "Submit a review"
    WITHDRAW = "withdraw", "Withdraw"


# FSM transition → the endpoint that makes it. Moves the system makes (start research on the
# first assignment, sign-off when the reviews are in) have no endpoint.
_CLAIM_ENDPOINTS: dict[str, str] = {
    "triage": ClaimMove.TRIAGE,
    "dismiss": ClaimMove.DISMISS,
    "restore": ClaimMove.RESTORE,
    "send_back": ClaimMove.SEND_BACK,
    "publish": ClaimMove.PUBLISH,
    "reopen": ClaimMove.REOPEN,
    "retract": ClaimMove.WITHDRAW,
}
# Changes of a published verdict that keep the claim's state (``services.corrections``).
_PUBLISHED_CHANGES = (ClaimMove.CORRECT, ClaimMove.UPDATE_VERDICT)


def claim_moves_for(user: Any, claim: Claim, *, editor: bool | None = None) -> list[str]:
    """Every claim move is an editor's (``editor``: asked once for a page); publishing also
    needs a verdict and an editor who did not review the claim (``reviewed_by_caller``)."""
    if not (is_editor(user) if editor is None else editor):
        return []
    reviewed = getattr(claim, "reviewed_by_caller", False)
    return list(editor_claim_moves(claim.state, bool(claim.consensus_rating), bool(reviewed)))


@functools.cache
def editor_claim_moves(state: str, has_verdict: bool, reviewed_by_caller: bool) -> tuple[str, ...]:
    """:func:`claim_moves_for` for an editor, from the three facts it depends on."""
    moves = []
    for endpoint in claim_endpoints_by_state()[state]:
        if endpoint == ClaimMove.PUBLISH and (reviewed_by_caller or not has_verdict):
            continue
        moves.append(endpoint)
    if state in ASSIGNABLE_CLAIM_STATES:
        moves.append(ClaimMove.ASSIGN)
    if state == ClaimState.PUBLISHED:
        moves.extend(_PUBLISHED_CHANGES)
    return tuple(moves)


@functools.cache
def claim_endpoints_by_state() -> dict[str, tuple[str, ...]]:
    """State → the endpoints of the FSM transitions out of it, read once (asking django-fsm per
    claim cost more than the rest of a list row). Only right while the state alone decides, so
    a transition with conditions is refused rather than misreported."""
    table: dict[str, tuple[str, ...]] = {}
    for state in ClaimState.values:
        endpoints = []
        for transition in Claim(state=state).get_available_state_transitions():
            if transition.conditions:
                raise ImproperlyConfigured(
                    f"Claim.{transition.name} has conditions: claim moves cannot be read from "
                    "the state alone any more."
                )
            if transition.name in _CLAIM_ENDPOINTS:
                endpoints.append(_CLAIM_ENDPOINTS[transition.name])
        table[state] = tuple(endpoints)
    return table


def assignment_moves_for(user: Any, assignment: Assignment) -> list[str]:
    """The assignee accepts and declines an offer and reviews (the FSM's "submit", while the
    claim is in research in the assignment's round); an editor withdraws. The claim must be
    loaded with the assignment (``select_related``)."""
    available = {t.name for t in assignment.get_available_state_transitions()}
    moves = []
    if user.pk == assignment.reviewer_id:
        moves += [m for m in (AssignmentMove.ACCEPT, AssignmentMove.DECLINE) if m in available]
        claim = assignment.claim
        if (
            "submit" in available
            and claim.state == ClaimState.IN_RESEARCH
            and assignment.review_round == claim.review_round
        ):
            moves.append(AssignmentMove.REVIEW)
    if "withdraw" in available and is_editor(user):
        moves.append(AssignmentMove.WITHDRAW)
    return moves


def validated(input_class: type, data: Any, **kwargs: Any) -> dict[str, Any]:
    """``data`` checked by ``input_class`` (a 400 if it does not pass): its validated data."""
    serializer = input_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class EditEndpointMixin:
    """PUT and PATCH of an editable row (a view with ``ETagMixin``): the input, checked after
    the required If-Match under the row's lock, goes to ``edit_save``."""

    edit_input: type

    def edit_save(self, row: Any, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def _edit(self, request: Request, *, partial: bool) -> Response:
        row = self.get_object()
        with transaction.atomic():
            current = self.current_version(row, required=True)
            self.edit_save(current, validated(self.edit_input, request.data, partial=partial))
        return self.respond(self.reload(row.pk))


class MoveEndpointMixin:
    """How a move endpoint runs, on a claim or an assignment (a view with ``ETagMixin``)."""

    move_target: str  # what the services call the row: "claim" or "assignment"

    def _move(
        self, request: Request, input_class: type, call: Callable[[Any, dict[str, Any]], Any]
    ) -> Any:
        """Check the input, then make the move under the row's lock, after the optional
        If-Match; what ``call`` returned."""
        row = self.get_object()
        data = validated(input_class, request.data)
        with transaction.atomic():
            return call(self.current_version(row, required=False), data)

    def _service_move(self, request: Request, input_class: type, service: Callable) -> Any:
        """:meth:`_move` calling ``service`` for the caller on the row, with the input's fields."""
        return self._move(
            request,
            input_class,
            lambda row, data: service(actor=request.user, **{self.move_target: row}, **data),
        )

    def _moved(self, row: models.Model) -> Response:
        """The moved row, read again, as its list shows it."""
        return self.respond(self.reload(row.pk))
