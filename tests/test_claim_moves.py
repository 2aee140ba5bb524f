"""What every editor's move of a claim has in common: triage, dismiss, restore, publish, send
back and reopen are each refused from every state but the one they start from, and to anyone but
an editor; a refused move changes nothing. A move that needs a reason is refused without one.
(What each move does is in test_claim_triage.py, test_claim_dismiss_restore.py and
test_claim_signoff.py.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.exceptions import WorkflowConflict
from claims.models import Claim, ClaimState
from tests.conftest import CLAIM_IN_STATE, recorded_move
from tests.conftest import claim_snapshot as _unchanged
from verification import services
from verification.models import WorkflowAction

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Move:
    start: ClaimState  # the one state it is made from
    by: str  # the fixture of the editor who makes it
    call: Callable[..., Claim]  # (actor, claim, note)
    note: str  # the reason it is made with, where it takes one
    others: tuple[str, ...] = ("reviewer", "outsider")  # who may not make it


MOVES = {
    "triage": Move(
        ClaimState.NEW, "editor", lambda a, c, _: services.claim_triage(actor=a, claim=c), ""
    ),
    "dismiss": Move(
        ClaimState.NEW,
        "editor",
        lambda a, c, note: services.claim_dismiss(actor=a, claim=c, reason=note),
        "Not checkable.",
    ),
    "restore": Move(
        ClaimState.DISMISSED,
        "editor",
        lambda a, c, _: services.claim_restore(actor=a, claim=c),
        "",
    ),
    "publish": Move(
        ClaimState.IN_REVIEW,
        "other_editor",
        lambda a, c, _: services.claim_publish(actor=a, claim=c),
        "",
        others=("reviewer", "second_reviewer", "outsider"),
    ),
    "send back": Move(
        ClaimState.IN_REVIEW,
        "editor",
        lambda a, c, note: services.claim_send_back(actor=a, claim=c, note=note),
        "Redo it.",
    ),
    "reopen": Move(
        ClaimState.PUBLISHED,
        "editor",
        lambda a, c, note: services.claim_reopen(actor=a, claim=c, reason=note),
        "Doubts.",
    ),
}
# What the services tell anyone but an editor.
ONLY_AN_EDITOR = {
    "triage": "Only an editor may triage",
    "dismiss": "Only an editor may dismiss",
    "restore": "Only an editor may restore",
    "publish": "Only an editor may publish",
    "send back": "Only an editor may send a claim back",
    "reopen": "Only an editor may reopen",
}


@pytest.mark.parametrize(
    ("move", "state"),
    [(move, state) for move in MOVES for state in ClaimState if state != MOVES[move].start],
)
def test_a_move_is_refused_from_every_state_but_its_own(move, state, request):
    claim = request.getfixturevalue(CLAIM_IN_STATE[state])
    made = MOVES[move]
    before = _unchanged(claim)

    with pytest.raises(WorkflowConflict) as refused:
        made.call(request.getfixturevalue(made.by), claim, made.note)

    assert f"Cannot {move} claim #{claim.pk}: it is {state.label.lower()}" in str(refused.value)
    assert _unchanged(claim) == before
    assert Claim.objects.get(pk=claim.pk).state == state


@pytest.mark.parametrize(("move", "who"), [(m, who) for m in MOVES for who in MOVES[m].others])
def test_only_an_editor_makes_a_move(move, who, request):
    made = MOVES[move]
    claim = request.getfixturevalue(CLAIM_IN_STATE[made.start])
    before = _unchanged(claim)

    with pytest.raises(PermissionDenied, match=re.escape(ONLY_AN_EDITOR[move])):
        made.call(request.getfixturevalue(who), claim, made.note)

    assert _unchanged(claim) == before


@pytest.mark.parametrize(
    ("move", "blank"),
    [
        ("dismiss", ""),
        ("dismiss", "   \n"),
        ("send back", ""),
        ("send back", "  \n "),
        ("reopen", ""),
        ("reopen", "   "),
    ],
)
def test_a_move_without_a_reason_is_refused(move, blank, request):
    made = MOVES[move]
    claim = request.getfixturevalue(CLAIM_IN_STATE[made.start])
    before = _unchanged(claim)

    with pytest.raises(ValidationError) as refused:
        made.call(request.getfixturevalue(made.by), claim, blank)

    assert "note" in refused.value.message_dict
    assert _unchanged(claim) == before


@pytest.mark.parametrize(
    ("move", "note", "recorded", "after"),
    [
        ("triage", "A checkable figure.", "A checkable figure.", ClaimState.TRIAGED),
        ("dismiss", "  An opinion, not a fact. ", "An opinion, not a fact.", ClaimState.DISMISSED),
        ("restore", "Turns out it is checkable.", "Turns out it is checkable.", ClaimState.NEW),
    ],
)
def test_an_editor_moves_the_claim_and_its_timeline_records_the_note(
    move, note, recorded, after, request, editor
):
    made = MOVES[move]
    claim = request.getfixturevalue(CLAIM_IN_STATE[made.start])
    calls = {
        "triage": lambda: services.claim_triage(actor=editor, claim=claim, note=note),
        "dismiss": lambda: services.claim_dismiss(actor=editor, claim=claim, reason=note),
        "restore": lambda: services.claim_restore(actor=editor, claim=claim, note=note),
    }

    calls[move]()

    claim.refresh_from_db()
    assert claim.state == after
    assert recorded_move(claim, WorkflowAction(move)) == {
        "actor": editor,
        "from_state": made.start,
        "to_state": after,
        "note": recorded,
    }
