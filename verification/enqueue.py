"""What the services ask the workers to do once their transaction commits.

Imported lazily by the services (the tasks import the services). Each call only schedules a
publish after commit; if the broker is down then, the pending-work sweep does the work later.
"""

from __future__ import annotations


def assign_claim_after_commit(claim_id: int, *, triaged: bool = False) -> None:
    """The claim may need reviewers: offer it once the transaction that queued it commits.

    ``triaged``: it was just triaged, and the claims triaged around it share their tasks
    (``tasks.offer_triaged_claim``)."""
    from django.db import transaction

    from verification import tasks

    if triaged:
        transaction.on_commit(lambda: tasks.offer_triaged_claim(claim_id))
    else:
        tasks.after_commit(tasks.assign_claim, claim_id)


def assign_waiting_claims_after_commit() -> None:
    """A reviewer has room again: offer the waiting claims once the transaction commits."""
    from verification import tasks

    tasks.after_commit(tasks.assign_waiting_claims)
