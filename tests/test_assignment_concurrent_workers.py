"""Two workers assigning at once: a reviewer the other worker holds is passed over for one as
good instead of waited for, an expert is waited for, and capacity still holds.

Automatic assignment first locks the available reviewers no other worker holds (``SKIP
LOCKED``) and counts their open work under the lock; it passes over a held reviewer for one with
as much matching expertise. When the reviewers it needs are held (every one with room, or one
with more expertise than the next in line) it waits, locking all available profiles in
primary-key order, after giving back any it held. Here "another worker" is a thread with its
own database connection that holds a reviewer's profile lock, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connections, transaction
from django.utils import timezone

from claims.models import Claim, ClaimState
from tests import factories
from verification import services, tasks
from verification.models import Assignment, ReviewerProfile
from verification.services import auto_assign
from verification.services.auto_assign import claim_auto_assign

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAUSE = 0.5  # seconds the other worker keeps a reviewer's profile locked


def make_reviewer(username: str, *, capacity: int = 3):
    return factories.ReviewerFactory(username=username, profile__capacity=capacity)


def queued_claim(editor, submitter) -> Claim:
    """A triaged claim whose assignment task has not run yet (as while it waits on the queue)."""
    claim = factories.ClaimFactory(submitted_by=submitter)
    with mock.patch.object(tasks.assign_claims, "apply_async"):
        services.claim_triage(actor=editor, claim=claim)
    return Claim.objects.get(pk=claim.pk)


def offer(reviewer) -> None:
    """Give ``reviewer`` an open assignment on a claim of their own."""
    Assignment.objects.create(
        claim=factories.ClaimFactory(),
        reviewer=reviewer,
        due_at=timezone.now() + dt.timedelta(days=3),
    )


@contextmanager
def held_by_another_worker(
    reviewer, *, meanwhile: Callable[[], None] = lambda: None
) -> Iterator[threading.Event]:
    """Lock ``reviewer``'s profile in another connection, do ``meanwhile`` in that transaction,
    and keep the lock until the yielded event is set (or the block ends)."""
    locked, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                ReviewerProfile.objects.select_for_update().get(user=reviewer)
                meanwhile()
                locked.set()
                release.wait(timeout=10)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
            locked.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert locked.wait(timeout=10)
    try:
        yield release
    finally:
        release.set()
        thread.join(timeout=10)
        assert not thread.is_alive()
        assert not errors, errors


def timed_assign(claim: Claim) -> tuple[list[str], float]:
    began = time.monotonic()
    made = claim_auto_assign(claim_id=claim.pk)
    return [a.reviewer.username for a in made], time.monotonic() - began


def test_a_reviewer_another_worker_is_assigning_is_passed_over_for_the_next_best(editor, submitter):
    best = make_reviewer("idle")
    make_reviewer("busier")
    offer(ReviewerProfile.objects.get(user__username="busier").user)
    claim = queued_claim(editor, submitter)

    with held_by_another_worker(best):
        chosen, seconds = timed_assign(claim)

    # No waiting for the other worker: the next best reviewer, at once.
    assert chosen == ["busier"]
    assert seconds < PAUSE
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.IN_RESEARCH


def test_a_held_expert_is_waited_for_rather_than_passed_over_for_a_reviewer_without_expertise(
    editor, submitter
):
    health = factories.TopicFactory(name="Health")
    expert = make_reviewer("expert")
    expert.reviewer_profile.expertise.set([health])
    make_reviewer("generalist")
    claim = factories.ClaimFactory(submitted_by=submitter)
    claim.topics.set([health])
    with mock.patch.object(tasks.assign_claims, "apply_async"):
        services.claim_triage(actor=editor, claim=claim)

    with held_by_another_worker(expert) as release:
        threading.Timer(PAUSE, release.set).start()
        chosen, seconds = timed_assign(claim)

    assert chosen == ["expert"]
    assert seconds >= PAUSE * 0.9


def test_when_every_reviewer_with_room_is_held_the_claim_waits_for_the_lock_and_is_assigned(
    editor, submitter
):
    only = make_reviewer("only")
    claim = queued_claim(editor, submitter)

    with held_by_another_worker(only) as release:
        threading.Timer(PAUSE, release.set).start()
        chosen, seconds = timed_assign(claim)

    assert chosen == ["only"]
    assert seconds >= PAUSE * 0.9


def test_a_held_reviewer_filled_up_by_the_other_worker_is_not_given_one_more(editor, submitter):
    only = make_reviewer("only", capacity=1)
    claim = queued_claim(editor, submitter)

    with held_by_another_worker(only, meanwhile=lambda: offer(only)) as release:
        threading.Timer(PAUSE, release.set).start()
        chosen, _seconds = timed_assign(claim)

    assert chosen == []
    assert Assignment.objects.filter(reviewer=only).count() == 1
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.TRIAGED


def test_a_reviewer_who_filled_up_while_the_claim_was_read_is_counted_under_the_lock(
    editor, submitter
):
    only = make_reviewer("only", capacity=1)
    claim = queued_claim(editor, submitter)
    real_lock = auto_assign._reviewers_lock

    def another_worker_commits_then_lock(**kwargs):
        # After the claim was read and before the reviewers are locked, another worker gives
        # "only" their last place.
        with held_by_another_worker(only, meanwhile=lambda: offer(only)):
            pass
        return real_lock(**kwargs)

    with mock.patch.object(auto_assign, "_reviewers_lock", another_worker_commits_then_lock):
        chosen, _seconds = timed_assign(claim)

    assert chosen == []
    assert Assignment.objects.filter(reviewer=only).count() == 1


def test_a_worker_that_must_wait_first_gives_back_the_locks_it_took_on_the_way(editor, submitter):
    # "held" is locked by the other worker; "first" is locked by this worker's first pass but
    # is full. Before waiting for "held", this worker must let go of "first", or two workers
    # could each hold what the other waits for. ("held" has the lower primary key, so the wait
    # in primary-key order comes before "first" again.)
    held = make_reviewer("held")
    first = make_reviewer("first", capacity=1)
    offer(first)
    claim = queued_claim(editor, submitter)
    first_was_free: list[bool] = []

    with held_by_another_worker(held) as release:

        def probe_first_then_release() -> None:
            # While this worker waits for "held", try to lock "first" without waiting.
            try:
                with transaction.atomic():
                    free = (
                        ReviewerProfile.objects.select_for_update(nowait=True)
                        .filter(user=first)
                        .exists()
                    )
                first_was_free.append(free)
            except Exception:
                first_was_free.append(False)
            finally:
                connections.close_all()
                release.set()

        threading.Timer(PAUSE, probe_first_then_release).start()
        chosen, seconds = timed_assign(claim)

    assert chosen == ["held"]
    assert seconds >= PAUSE * 0.9
    assert first_was_free == [True]
