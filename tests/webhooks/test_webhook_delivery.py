"""Sending a delivery: signed, through the one outbound client; 5xx, 408, 429, timeouts and
connection errors are tried again after an exponential backoff, other answers are final."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from config.webhooks.models import Delivery, DeliveryState
from config.webhooks.services.deliveries import (
    Outcome,
    deliveries_due,
    delivery_send,
    retry_delay,
    should_retry,
)
from config.webhooks.tasks import webhook_sweep
from tests.integration.conftest import free_port
from tests.webhooks.receiver import Hang
from verification import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(endpoint, published_claim) -> Delivery:
    return Delivery.objects.get(endpoint=endpoint)


def test_a_delivery_is_posted_signed_with_its_key_and_event(receiver, endpoint, delivery):
    assert delivery_send(delivery_id=delivery.pk) is Outcome.DELIVERED
    (got,) = receiver.received
    assert got.method == "POST" and got.path == "/hooks"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-Claimdesk-Event"] == "published"
    assert got.key == delivery.key
    assert got.signed_with(endpoint.secret) and not got.signed_with("another secret")
    assert json.loads(got.body) == delivery.payload
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 1
    (attempt,) = delivery.log.all()
    assert attempt.ok and attempt.status_code == 200


@pytest.mark.parametrize(
    ("status", "transient", "again"),
    [
        (500, False, True),
        (503, False, True),
        (408, False, True),
        (429, False, True),
        (None, True, True),  # a timeout, a refused connection
        (400, False, False),
        (404, False, False),
        (410, False, False),
        (302, False, False),  # a POST is never redirected
        (None, False, False),  # a refused address
    ],
)
def test_which_failures_are_tried_again(status, transient, again):
    assert should_retry(status=status, transient=transient) is again


def test_the_backoff_doubles_up_to_its_cap(settings):
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 30
    settings.WEBHOOK_RETRY_BACKOFF_MAX_SECONDS = 200
    assert [retry_delay(n) for n in range(1, 6)] == [30, 60, 120, 200, 200]


def test_a_5xx_is_tried_again_after_the_backoff_then_delivered(receiver, delivery, settings):
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 60
    receiver.answer(500)
    before = timezone.now()
    assert delivery_send(delivery_id=delivery.pk) is Outcome.RETRY
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at >= before + timezone.timedelta(seconds=59)
    assert delivery.last_error == "HTTP 500"
    # Not due yet: neither a redelivered task nor the sweep sends it early.
    assert delivery_send(delivery_id=delivery.pk) is Outcome.SKIPPED
    assert deliveries_due() == []
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliveries_due() == [delivery.pk]
    assert delivery_send(delivery_id=delivery.pk) is Outcome.DELIVERED
    assert [r.answered for r in receiver.received] == [500, 200]
    assert len({r.key for r in receiver.received}) == 1
    assert [a.status_code for a in delivery.log.all()] == [500, 200]


def test_a_4xx_fails_at_once(receiver, delivery):
    receiver.answer(404)
    assert delivery_send(delivery_id=delivery.pk) is Outcome.FAILED
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 1
    assert delivery.endpoint.consecutive_failures == 1


def test_a_receiver_that_does_not_answer_in_time_is_tried_again(receiver, delivery, settings):
    settings.WEBHOOK_TIMEOUT = 0.5
    receiver.answer(Hang(2))
    assert delivery_send(delivery_id=delivery.pk) is Outcome.RETRY
    (attempt,) = delivery.log.all()
    assert attempt.status_code is None and "within 0.5 s" in attempt.error


def test_a_closed_port_is_tried_again(editor, receiver, delivery, settings):
    delivery.endpoint.url = f"http://127.0.0.1:{free_port()}/hooks"
    delivery.endpoint.save()
    assert delivery_send(delivery_id=delivery.pk) is Outcome.RETRY


def test_a_private_address_is_refused_without_the_setting(receiver, delivery, settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = False
    assert delivery_send(delivery_id=delivery.pk) is Outcome.FAILED
    assert receiver.received == []
    assert "loopback" in delivery.log.get().error


def test_after_the_last_attempt_the_delivery_fails(receiver, delivery, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.answer(otherwise=502)
    outcomes = [delivery_send(delivery_id=delivery.pk) for _ in range(4)]
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED, Outcome.SKIPPED]
    assert len(receiver.received) == 3


def test_a_delivered_delivery_is_never_sent_again_by_the_sweep(receiver, delivery):
    delivery_send(delivery_id=delivery.pk)
    assert webhook_sweep() == 0
    assert delivery_send(delivery_id=delivery.pk) is Outcome.SKIPPED
    assert len(receiver.received) == 1


def test_a_delivery_held_by_a_live_worker_is_left_alone_until_the_claim_is_stale(
    receiver, delivery, settings
):
    taken = timezone.now() - timezone.timedelta(seconds=5)
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=taken)
    assert delivery_send(delivery_id=delivery.pk) is Outcome.SKIPPED
    assert deliveries_due() == []
    settings.WEBHOOK_TIMEOUT, settings.WEBHOOK_STALE_MARGIN_SECONDS = 1, 1  # the worker died
    assert deliveries_due() == [delivery.pk]
    assert delivery_send(delivery_id=delivery.pk) is Outcome.DELIVERED


def test_the_commit_publishes_the_delivery_to_a_worker(
    receiver, endpoint, claim_in_review, other_editor, django_capture_on_commit_callbacks
):
    """Tasks run eagerly here (config.settings.test): the commit's hook sends it."""
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_publish(actor=other_editor, claim=claim_in_review)
    (got,) = receiver.accepted
    assert got.signed_with(endpoint.secret)
    assert Delivery.objects.get().state == DeliveryState.DELIVERED
