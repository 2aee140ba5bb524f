"""Two people move the same claim at once: exactly one wins, the other gets a conflict.

The races run in two threads, each with its own database connection, started together by a
barrier, against PostgreSQL, where the services lock the claim row. A short pause inside the
services' critical section makes the two requests overlap every time instead of by luck.
The compare-and-set tests at the end need no second connection and run on both databases.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

import pytest
from django.db import connections, transaction
from django_fsm import ConcurrentTransition

from claims.exceptions import WorkflowConflict
from claims.models import Claim, ClaimState
from verification import services
from verification.models import Assignment, WorkflowAction, WorkflowEvent
from verification.services import assignments as assignment_services
from verification.services import workflow

PAUSE = 0.3  # seconds the winner holds the claim's lock

# The conftest adds this fixture to ``postgres`` tests in pytest_collection_modifyitems, which
# runs after pytest has fixed each test's fixtures, so the races below name it themselves.


@dataclass
class Outcome:
    name: str
    result: object = None
    conflict: WorkflowConflict | None = None
    error: BaseException | None = None


def _race(actions: dict[str, Callable[[], object]]) -> dict[str, Outcome]:
    """Run each action in its own thread and connection, all released at the same moment."""
    barrier = threading.Barrier(len(actions))
    outcomes = {name: Outcome(name) for name in actions}

    def run(name: str, action: Callable[[], object]) -> None:
        outcome = outcomes[name]
        try:
            barrier.wait(timeout=10)
            outcome.result = action()
        except WorkflowConflict as conflict:
            outcome.conflict = conflict
        except BaseException as error:  # reported by the test, not lost in the thread
            outcome.error = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(name, action), name=name)
        for name, action in actions.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a racer never finished"
    errors = {name: o.error for name, o in outcomes.items() if o.error is not None}
    assert not errors, f"unexpected errors: {errors!r}"
    return outcomes


def _paused(real: Callable, entered: dict[str, float]) -> Callable:
    """Wrap a step inside the locked section: note when each racer got there, then linger."""

    def step(*args, **kwargs):
        entered.setdefault(threading.current_thread().name, time.monotonic())
        value = real(*args, **kwargs)
        time.sleep(PAUSE)
        return value

    return step


def _one_winner(outcomes: dict[str, Outcome]) -> tuple[Outcome, Outcome]:
    winners = [o for o in outcomes.values() if o.conflict is None]
    losers = [o for o in outcomes.values() if o.conflict is not None]
    assert len(winners) == 1, f"winners: {[o.name for o in winners]}"
    assert len(losers) == 1
    return winners[0], losers[0]


def _assert_serialised(entered: dict[str, float]) -> None:
    # The loser reached the locked section only after the winner had left it: the row lock,
    # not luck, put one after the other.
    assert len(entered) == 2
    assert max(entered.values()) - min(entered.values()) >= PAUSE * 0.9


def _race_held(
    actions: dict[str, Callable[[], object]], module: object = workflow, step: str = "can_proceed"
):
    """Race the actions with ``module.step`` (the workflow's ``can_proceed`` unless said) lingering
    inside the locked section; check that exactly one won and that the lock put the loser after
    the winner; ``(winner, loser)``."""
    entered: dict[str, float] = {}
    with mock.patch.object(module, step, _paused(getattr(module, step), entered)):
        outcomes = _race(actions)
    winner, loser = _one_winner(outcomes)
    _assert_serialised(entered)
    return winner, loser


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_triage_and_dismiss_at_once_one_wins_and_the_other_gets_a_conflict(
    new_claim, editor, other_editor
):
    winner, loser = _race_held(
        {
            "triage": lambda: services.claim_triage(actor=editor, claim=new_claim),
            "dismiss": lambda: services.claim_dismiss(
                actor=other_editor, claim=new_claim, reason="Not checkable."
            ),
        },
    )
    claim = Claim.objects.get(pk=new_claim.pk)
    expected = {"triage": ClaimState.TRIAGED, "dismiss": ClaimState.DISMISSED}
    assert claim.state == expected[winner.name]
    assert f"it is {claim.get_state_display().lower()}" in str(loser.conflict)
    moves = WorkflowEvent.objects.filter(
        claim=claim, action__in=[WorkflowAction.TRIAGE, WorkflowAction.DISMISS]
    )
    assert [(e.action, e.from_state, e.to_state) for e in moves] == [
        (winner.name, ClaimState.NEW, claim.state)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_publish_and_send_back_at_once_one_wins_and_the_other_gets_a_conflict(
    claim_in_review, editor, other_editor
):
    winner, loser = _race_held(
        {
            "publish": lambda: services.claim_publish(actor=editor, claim=claim_in_review),
            "send_back": lambda: services.claim_send_back(
                actor=other_editor, claim=claim_in_review, note="Check the second figure."
            ),
        },
    )
    claim = Claim.objects.get(pk=claim_in_review.pk)
    if winner.name == "publish":
        assert (claim.state, claim.published_by, claim.review_round) == (
            ClaimState.PUBLISHED,
            editor,
            1,
        )
    else:
        assert (claim.state, claim.published_at, claim.review_round) == (
            ClaimState.IN_RESEARCH,
            None,
            2,
        )
    assert "it is " in str(loser.conflict)
    moves = WorkflowEvent.objects.filter(
        claim=claim, action__in=[WorkflowAction.PUBLISH, WorkflowAction.SEND_BACK]
    )
    assert [(e.action, e.from_state) for e in moves] == [(winner.name, ClaimState.IN_REVIEW)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_assigning_the_last_reviewer_slot_at_once_make_one_assignment(
    triaged_claim, editor, other_editor, reviewer, second_reviewer
):
    assert triaged_claim.required_reviews == 1
    winner, loser = _race_held(
        {
            "first": lambda: services.assignment_create(
                actor=editor, claim=triaged_claim, reviewer=reviewer
            ),
            "second": lambda: services.assignment_create(
                actor=other_editor, claim=triaged_claim, reviewer=second_reviewer
            ),
        },
        assignment_services,
        "_check",
    )
    assert "already has its 1 reviewer" in str(loser.conflict)
    assignment = Assignment.objects.get(claim=triaged_claim)
    assert assignment.pk == winner.result.pk
    claim = Claim.objects.get(pk=triaged_claim.pk)
    assert claim.state == ClaimState.IN_RESEARCH
    events = WorkflowEvent.objects.filter(claim=claim).exclude(
        action__in=[WorkflowAction.CREATE, WorkflowAction.TRIAGE]
    )
    assert sorted(e.action for e in events) == [
        WorkflowAction.ASSIGN,
        WorkflowAction.START_RESEARCH,
    ]


# --- Compare-and-set: a save from a stale read changes nothing. Both databases. -------------


def test_a_stale_claim_instance_cannot_save_over_a_newer_state(new_claim, editor):
    stale = Claim.objects.get(pk=new_claim.pk)
    # Another session triages the claim after `stale` was read.
    services.claim_triage(actor=editor, claim=Claim.objects.get(pk=new_claim.pk))

    stale.dismiss()
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()

    fresh = Claim.objects.get(pk=new_claim.pk)
    assert fresh.state == ClaimState.TRIAGED
    assert not WorkflowEvent.objects.filter(claim=fresh, action=WorkflowAction.DISMISS).exists()


def test_a_service_given_a_stale_claim_reports_a_conflict_and_changes_nothing(
    new_claim, editor, other_editor
):
    stale = Claim.objects.get(pk=new_claim.pk)
    services.claim_triage(actor=editor, claim=Claim.objects.get(pk=new_claim.pk))
    events_before = WorkflowEvent.objects.count()

    with pytest.raises(WorkflowConflict) as conflict:
        services.claim_dismiss(actor=other_editor, claim=stale, reason="Not checkable.")

    assert "Cannot dismiss" in str(conflict.value)
    assert "it is triaged" in str(conflict.value)
    assert Claim.objects.get(pk=new_claim.pk).state == ClaimState.TRIAGED
    assert WorkflowEvent.objects.count() == events_before


def test_a_move_made_between_the_services_read_and_write_is_a_conflict(new_claim, editor):
    # Where rows are not locked (SQLite), another writer can move the claim after the service
    # read it. Stand in for that writer inside the service's read-check-write window.
    real_can_proceed = workflow.can_proceed

    def read_then_someone_else_moves_it(method) -> bool:
        allowed = real_can_proceed(method)
        Claim.objects.filter(pk=new_claim.pk).update(state=ClaimState.DISMISSED)
        return allowed

    with (
        mock.patch.object(workflow, "can_proceed", read_then_someone_else_moves_it),
        pytest.raises(WorkflowConflict) as conflict,
    ):
        services.claim_triage(actor=editor, claim=new_claim)

    assert "moved by someone else" in str(conflict.value)
    # The service's transaction rolled back whole: no triage and no event (the stand-in's
    # write went with it, being on the same connection).
    claim = Claim.objects.get(pk=new_claim.pk)
    assert claim.state == ClaimState.NEW
    assert not WorkflowEvent.objects.filter(claim=claim, action=WorkflowAction.TRIAGE).exists()
