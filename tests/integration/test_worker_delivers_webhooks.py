"""Real workers deliver webhooks to a real receiver on 127.0.0.1 (a threaded ``http.server``):
one that fails twice gets the event exactly once, signed, after three attempts with one key;
one that never answers is disabled after the limit and its editor is emailed. Bounded: the
fetch deadline and the backoff are a second or less."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from claims.models import Claim
from config.webhooks.models import Delivery, DeliveryState, Endpoint
from config.webhooks.services.endpoints import endpoint_create
from tests.webhooks.receiver import Hang, Receiver, running_receiver
from verification import services
from verification.models import EmailKind, EmailLog, EmailStatus, WorkflowAction, WorkflowEvent
from verification.signals import verdict_changed

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

QUICK = {
    "FETCH_ALLOW_PRIVATE_HOSTS": "true",  # the receiver is on 127.0.0.1
    "WEBHOOK_TIMEOUT": "1",
    "WEBHOOK_RETRY_BACKOFF_SECONDS": "0.2",
    "WEBHOOK_RETRY_BACKOFF_MAX_SECONDS": "1",
}


@pytest.fixture
def hooks(settings) -> Iterator[Receiver]:
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # as the workers run: the endpoint is registered
    with running_receiver() as receiver:
        yield receiver


def _correct(claim: Claim) -> None:
    """What a correction does (its move is another engineer's): a workflow event and the
    signal, in one committed transaction."""
    with transaction.atomic():
        event = WorkflowEvent.objects.create(
            claim=claim, action=WorkflowAction.PUBLISH, from_state=claim.state, to_state=claim.state
        )
        verdict_changed.send(sender=Claim, claim=claim, event="corrected", workflow_event=event)


def test_a_receiver_failing_twice_gets_each_event_once_signed(
    workers, hooks, editor, other_editor, claim_in_review
):
    workers.start("hooks", concurrency=1, env={**QUICK, "WEBHOOK_MAX_ATTEMPTS": "6"})
    hooks.answer(500, 500)
    endpoint = endpoint_create(actor=editor, url=hooks.url(), events=["published", "corrected"])

    published = services.claim_publish(actor=other_editor, claim=claim_in_review)
    workers.wait_until(
        lambda: Delivery.objects.filter(state=DeliveryState.DELIVERED).exists(),
        timeout=60,
        what="the publish to be delivered",
    )
    delivery = Delivery.objects.get(endpoint=endpoint, event="published")
    assert [r.answered for r in hooks.received] == [500, 500, 200]
    assert {r.key for r in hooks.received} == {delivery.key}
    assert all(r.signed_with(endpoint.secret) for r in hooks.received)
    assert [a.status_code for a in delivery.log.all()] == [500, 500, 200]
    assert delivery.attempts == 3

    _correct(published)
    workers.wait_until(lambda: len(hooks.accepted) == 2, timeout=60, what="the correction")
    first, correction = hooks.accepted
    assert correction.headers["X-Claimdesk-Event"] == "corrected"
    assert correction.key != first.key and correction.signed_with(endpoint.secret)
    assert len(hooks.received) == 4  # the correction got through at once
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 0


def test_a_receiver_that_never_answers_is_disabled_after_the_limit(
    workers, hooks, smtp, editor, other_editor, claim_in_review
):
    limits = {"WEBHOOK_MAX_ATTEMPTS": "2", "WEBHOOK_DISABLE_AFTER": "2"}
    workers.start("hooks", concurrency=2, env={**QUICK, **limits})
    hooks.answer(otherwise=Hang(3))  # takes the request, says nothing past the deadline
    endpoint = endpoint_create(actor=editor, url=hooks.url(), events=["published", "reopened"])

    published = services.claim_publish(actor=other_editor, claim=claim_in_review)
    services.claim_reopen(actor=editor, claim=published, reason="New figures.")
    workers.wait_until(
        lambda: not Endpoint.objects.get(pk=endpoint.pk).active,
        timeout=90,
        what="the endpoint to be disabled",
    )
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 2
    assert "within 1 s" in endpoint.disabled_reason
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.FAILED}
    assert len(hooks.received) == 4  # two attempts of each event
    email = workers.wait_until(
        lambda: EmailLog.objects.filter(
            kind=EmailKind.WEBHOOK_DISABLED, status=EmailStatus.SENT
        ).first(),
        timeout=30,
        what="the editor's email to be sent",
    )
    assert email.user == editor
    assert any(
        r.envelope_to == (editor.email,) and "Webhook disabled" in r.subject for r in smtp.accepted
    )
