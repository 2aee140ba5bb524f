"""What verification tells the apps above it (``config.webhooks``), so that it never imports them.

``verdict_changed`` is sent inside the transaction of the move that changed what the public is
told about a claim, with:

- ``claim``: the claim as the move left it;
- ``event``: one of :data:`VERDICT_EVENTS` ("published", "corrected", "reopened", "withdrawn");
- ``workflow_event``: the :class:`verification.models.WorkflowEvent` the move recorded (its id
  is the event's identity: a receiver keys its idempotency on it).

A receiver's writes commit or roll back with the move; work outside the database (a Celery
publish) belongs in ``transaction.on_commit``.
"""

from django.dispatch import Signal

PUBLISHED = "published"
CORRECTED = "corrected"
REOPENED = "reopened"
WITHDRAWN = "withdrawn"
VERDICT_EVENTS = (PUBLISHED, CORRECTED, REOPENED, WITHDRAWN)

verdict_changed = Signal()
