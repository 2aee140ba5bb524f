"""Each announced event becomes one delivery per active endpoint subscribed to it, whichever
move announced it; announcing the same workflow event again makes nothing new."""

from __future__ import annotations

import pytest

from claims.claimreview.jsonld import claim_review_jsonld
from claims.models import Claim
from config.webhooks.models import Delivery, DeliveryState, WebhookEvent
from config.webhooks.services.endpoints import endpoint_create
from verification import services
from verification.models import WorkflowAction, WorkflowEvent
from verification.signals import VERDICT_EVENTS, verdict_changed

pytestmark = pytest.mark.django_db


def _announce(claim, event: str, *, new_event: bool = False):
    """Send ``verdict_changed`` as a move does, for the claim's newest workflow event or (as a
    correction, whose move is another engineer's) for a new one."""
    if new_event:  # main has no "correct" move yet; its event is a publish event's twin
        WorkflowEvent.objects.create(
            claim=claim,
            action=WorkflowAction.PUBLISH,
            from_state=claim.state,
            to_state=claim.state,
            note=f"{event.capitalize()} (test).",
        )
    workflow_event = claim.events.latest("created_at", "pk")
    verdict_changed.send(sender=Claim, claim=claim, event=event, workflow_event=workflow_event)
    return workflow_event


def test_the_events_are_the_ones_verification_announces():
    assert tuple(WebhookEvent.values) == VERDICT_EVENTS


def test_publishing_makes_one_pending_delivery_with_the_claimreview(endpoint, published_claim):
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.state == DeliveryState.PENDING and delivery.event == "published"
    payload = delivery.payload
    assert payload["event"] == "published" and payload["id"] == delivery.key
    assert payload["claim"]["id"] == published_claim.pk
    assert payload["claim"]["state"] == "published"
    assert payload["claim"]["url"].endswith(f"/api/v1/claims/{published_claim.pk}/")
    assert payload["claim_review"] == claim_review_jsonld(published_claim)
    assert payload["workflow_event"] == delivery.workflow_event_id


def test_the_same_workflow_event_announced_twice_makes_one_delivery(endpoint, published_claim):
    _announce(published_claim, "published")
    _announce(published_claim, "published")
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1


def test_a_correction_is_delivered_whichever_move_announces_it(endpoint, published_claim):
    workflow_event = _announce(published_claim, "corrected", new_event=True)
    corrected = Delivery.objects.get(endpoint=endpoint, event="corrected")
    assert corrected.workflow_event == workflow_event
    assert corrected.payload["claim_review"] is not None


def test_reopening_sends_the_claimreview_that_stays_public(endpoint, published_claim, editor):
    published = Delivery.objects.get(endpoint=endpoint, event="published")
    services.claim_reopen(actor=editor, claim=published_claim, reason="New figures.")
    reopened = Delivery.objects.get(endpoint=endpoint, event="reopened")
    # Under review again, the verdict the public was given stays out until the new sign-off.
    assert reopened.payload["claim_review"] == published.payload["claim_review"]
    assert reopened.payload["claim"]["state"] == "in_research"


def test_a_withdrawal_sends_no_claimreview(endpoint, published_claim, editor):
    services.claim_retract(actor=editor, claim=published_claim, note="Satire, not a claim.")
    withdrawn = Delivery.objects.get(endpoint=endpoint, event="withdrawn")
    assert withdrawn.payload["claim_review"] is None
    assert withdrawn.payload["claim"]["state"] == "dismissed"


def test_only_active_endpoints_subscribed_to_the_event_get_it(editor, receiver, claim_in_review):
    wants = endpoint_create(actor=editor, url=receiver.url("/a"), events=["published"])
    other = endpoint_create(actor=editor, url=receiver.url("/b"), events=["withdrawn"])
    off = endpoint_create(actor=editor, url=receiver.url("/c"), events=["published"])
    off.active = False
    off.save()
    services.claim_publish(actor=editor, claim=claim_in_review)
    assert list(Delivery.objects.values_list("endpoint", flat=True)) == [wants.pk]
    assert not other.deliveries.exists()


def test_keys_differ_per_endpoint_and_per_event(editor, receiver, endpoint, published_claim):
    second = endpoint_create(actor=editor, url=receiver.url("/b"), events=["published"])
    _announce(published_claim, "published")  # the second endpoint's delivery
    _announce(published_claim, "corrected", new_event=True)
    keys = list(Delivery.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 3
    assert second.deliveries.count() == 1


def test_triaging_a_claim_announces_nothing(endpoint, new_claim, editor):
    services.claim_triage(actor=editor, claim=new_claim)
    assert not Delivery.objects.exists()


def test_a_correction_sends_the_corrected_claimreview(endpoint, published_claim, other_editor):
    services.claim_correct(
        actor=other_editor, claim=published_claim, rating="mixed", note="A second source."
    )
    corrected = Delivery.objects.get(endpoint=endpoint, event="corrected")
    review = corrected.payload["claim_review"]
    assert review["reviewRating"]["alternateName"] == "Mixed"
    assert "Correction (" in review["reviewBody"] and "dateModified" in review
