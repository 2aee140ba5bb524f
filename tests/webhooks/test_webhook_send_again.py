"""An editor's "send again": the same delivery, key and payload, a new attempt; never while it
is being sent, never to a disabled endpoint, never by a reviewer."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from claims.exceptions import WorkflowConflict
from config.webhooks.models import Delivery, DeliveryState, Endpoint
from config.webhooks.services.deliveries import Outcome, delivery_redeliver, delivery_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(receiver, endpoint, published_claim) -> Delivery:
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery_send(delivery_id=delivery.pk) is Outcome.DELIVERED
    return delivery


def test_send_again_makes_a_new_attempt_with_the_same_key(
    receiver, delivered, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery_redeliver(actor=editor, delivery=delivered)
    first, second = receiver.received
    assert first.key == second.key == delivered.key
    assert first.body == second.body
    delivered.refresh_from_db()
    assert delivered.state == DeliveryState.DELIVERED
    assert Delivery.objects.count() == 1 and delivered.log.count() == 2


def test_a_failed_delivery_gets_a_fresh_set_of_attempts(
    receiver, endpoint, published_claim, editor, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.answer(500)
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery_send(delivery_id=delivery.pk) is Outcome.FAILED
    delivery_redeliver(actor=editor, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 0
    assert delivery_send(delivery_id=delivery.pk) is Outcome.DELIVERED


def test_a_reviewer_may_not_send_again(delivered, reviewer):
    with pytest.raises(PermissionDenied):
        delivery_redeliver(actor=reviewer, delivery=delivered)


def test_not_to_a_disabled_endpoint(delivered, editor):
    Endpoint.objects.filter(pk=delivered.endpoint_id).update(active=False)
    with pytest.raises(WorkflowConflict, match="re-enable it"):
        delivery_redeliver(actor=editor, delivery=delivered)


def test_not_while_a_worker_is_sending_it(delivered, editor):
    Delivery.objects.filter(pk=delivered.pk).update(claimed_at=timezone.now())
    with pytest.raises(WorkflowConflict, match="being sent"):
        delivery_redeliver(actor=editor, delivery=delivered)
