"""An endpoint whose deliveries fail WEBHOOK_DISABLE_AFTER times in a row is disabled, once,
and the editor who registered it is told by email; an editor turns it back on."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from claims.models import Claim
from config.webhooks.models import Delivery, DeliveryState, Endpoint
from config.webhooks.services.deliveries import Outcome, delivery_send
from config.webhooks.services.endpoints import endpoint_disable, endpoint_enable
from verification.models import EmailKind, EmailLog, WorkflowAction, WorkflowEvent
from verification.signals import verdict_changed

pytestmark = pytest.mark.django_db


def _new_delivery(claim: Claim, endpoint: Endpoint) -> Delivery:
    """Another event for the endpoint (a correction's stand-in: its own workflow event)."""
    event = WorkflowEvent.objects.create(
        claim=claim, action=WorkflowAction.PUBLISH, from_state=claim.state, to_state=claim.state
    )
    verdict_changed.send(sender=Claim, claim=claim, event="corrected", workflow_event=event)
    return Delivery.objects.get(endpoint=endpoint, workflow_event=event)


@pytest.fixture
def failing(receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    settings.WEBHOOK_DISABLE_AFTER = 2
    receiver.answer(otherwise=500)
    return receiver


def test_the_endpoint_is_disabled_after_the_limit_and_its_creator_told(
    failing, endpoint, published_claim, editor, django_capture_on_commit_callbacks
):
    first = Delivery.objects.get(endpoint=endpoint)
    assert delivery_send(delivery_id=first.pk) is Outcome.FAILED
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 1
    second = _new_delivery(published_claim, endpoint)
    waiting = _new_delivery(published_claim, endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_send(delivery_id=second.pk) is Outcome.FAILED
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert "2 deliveries in a row failed" in endpoint.disabled_reason
    assert "HTTP 500" in endpoint.disabled_reason
    waiting.refresh_from_db()
    assert waiting.state == DeliveryState.ABANDONED
    (email,) = EmailLog.objects.filter(kind=EmailKind.WEBHOOK_DISABLED)
    assert email.user == editor and email.recipient == editor.email
    assert endpoint.url in email.body_text and endpoint.url in email.body_html
    assert f"/admin/webhooks/endpoint/{endpoint.pk}/change/" in email.body_text
    (sent,) = mail.outbox
    assert "Webhook disabled" in sent.subject


def test_a_disabled_endpoint_is_sent_nothing_more(failing, endpoint, published_claim):
    endpoint.active = False
    endpoint.save()
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery_send(delivery_id=delivery.pk) is Outcome.SKIPPED
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.ABANDONED and failing.received == []
    later = WorkflowEvent.objects.create(claim=published_claim, action=WorkflowAction.PUBLISH)
    verdict_changed.send(
        sender=Claim, claim=published_claim, event="corrected", workflow_event=later
    )
    assert endpoint.deliveries.count() == 1  # no new delivery for a disabled endpoint


def test_a_delivery_that_gets_through_ends_the_run_of_failures(receiver, endpoint, published_claim):
    Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=3)
    delivery_send(delivery_id=Delivery.objects.get(endpoint=endpoint).pk)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.active


def test_two_workers_failing_at_once_disable_it_once(failing, endpoint, published_claim):
    stale = Endpoint.objects.get(pk=endpoint.pk)  # what the second worker read: still active
    assert endpoint_disable(endpoint=endpoint, reason="first") is True
    assert endpoint_disable(endpoint=stale, reason="second") is False
    assert EmailLog.objects.filter(kind=EmailKind.WEBHOOK_DISABLED).count() == 1
    endpoint.refresh_from_db()
    assert endpoint.disabled_reason == "first"


def test_an_editor_turns_it_back_on_with_its_count_at_zero(failing, endpoint, editor, reviewer):
    Endpoint.objects.filter(pk=endpoint.pk).update(
        active=False, consecutive_failures=2, disabled_reason="x"
    )
    with pytest.raises(PermissionDenied, match="Only an editor"):
        endpoint_enable(actor=reviewer, endpoint=endpoint)
    endpoint = endpoint_enable(actor=editor, endpoint=endpoint)
    assert endpoint.active and endpoint.consecutive_failures == 0
    assert endpoint.disabled_reason == "" and endpoint.disabled_at is None
