"""The webhooks in the admin: an editor registers an endpoint through the form (the service
makes its secret), sends a delivery again and turns a disabled endpoint back on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from config.webhooks.models import Delivery, DeliveryState, Endpoint

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_registers_an_endpoint_in_the_admin(editor):
    answer = _client(editor).post(
        reverse("admin:webhooks_endpoint_add"),
        {"url": "https://cms.example/hooks", "events": ["published", "withdrawn"], "secret": ""},
    )
    assert answer.status_code == 302, answer.content[:2000]
    endpoint = Endpoint.objects.get()
    assert endpoint.created_by == editor and endpoint.secret.startswith("whsec_")
    assert endpoint.events == ["published", "withdrawn"]
    page = _client(editor).get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in page.content.decode()


def test_a_refused_url_is_not_saved(editor):
    answer = _client(editor).post(
        reverse("admin:webhooks_endpoint_add"),
        {"url": "http://127.0.0.1/hooks", "events": ["published"], "secret": ""},
        follow=True,
    )
    assert "loopback" in answer.content.decode()
    assert not Endpoint.objects.exists()


def test_send_again_from_the_delivery_log(receiver, editor, endpoint, published_claim):
    delivery = Delivery.objects.get(endpoint=endpoint)
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED)
    _client(editor).post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 0


def test_turn_back_on_from_the_endpoint_list(editor, endpoint):
    Endpoint.objects.filter(pk=endpoint.pk).update(active=False, consecutive_failures=5)
    _client(editor).post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "enable", "_selected_action": [endpoint.pk]},
    )
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 0


def test_the_delivery_log_opens_with_its_attempts(receiver, editor, endpoint, published_claim):
    from config.webhooks.services.deliveries import delivery_send

    delivery = Delivery.objects.get(endpoint=endpoint)
    delivery_send(delivery_id=delivery.pk)
    client = _client(editor)
    assert (
        delivery.key in client.get(reverse("admin:webhooks_delivery_changelist")).content.decode()
    )
    page = client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200 and "Attempt" in page.content.decode()
