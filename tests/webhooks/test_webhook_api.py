"""/api/v1/webhooks/: editors register endpoints (a secret made for them), read each one's
delivery log and send a delivery again; the services' refusals in the API's error shape.
(Who may call what: tests/security/test_api_matrix.py.)"""

from __future__ import annotations

import pytest

from config.webhooks.models import Delivery, Endpoint
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_editor_registers_an_endpoint_and_is_shown_its_secret(editor):
    answer = client_for(editor).post(
        "/api/v1/webhooks/",
        {"url": "https://cms.example/hooks", "events": ["corrected", "published"]},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert body["events"] == ["published", "corrected"]
    assert body["created_by"] == "editor" and body["active"] is True
    assert Endpoint.objects.get().secret == body["secret"]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"url": "https://cms.example/hooks", "events": ["deleted"]}, "events.0"),
        ({"url": "https://cms.example/hooks", "events": []}, "events"),
        ({"url": "http://10.0.0.5/hooks", "events": ["published"]}, "url"),
        ({"url": "ftp://cms.example/hooks", "events": ["published"]}, "url"),
    ],
)
def test_a_bad_event_or_url_is_refused_on_its_field(editor, given, field):
    answer = client_for(editor).post("/api/v1/webhooks/", given, format="json")
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]


def test_an_empty_secret_makes_a_new_one(editor, endpoint):
    old = endpoint.secret
    answer = client_for(editor).patch(
        f"/api/v1/webhooks/{endpoint.pk}/", {"secret": ""}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["secret"] not in ("", old)


def test_the_delivery_log_and_send_again(
    receiver, editor, endpoint, published_claim, django_capture_on_commit_callbacks
):
    delivery = Delivery.objects.get(endpoint=endpoint)
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/redeliver/")
    assert answer.status_code == 200, answer.content
    log = client.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()
    (row,) = log["results"]
    assert row["key"] == delivery.key and row["state"] == "delivered"
    assert [attempt["status_code"] for attempt in row["log"]] == [200]
    assert row["payload"]["claim"]["id"] == published_claim.pk


def test_send_again_to_a_disabled_endpoint_is_a_conflict(editor, endpoint, published_claim):
    delivery = Delivery.objects.get(endpoint=endpoint)
    Endpoint.objects.filter(pk=endpoint.pk).update(active=False)
    answer = client_for(editor).post(
        f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/redeliver/"
    )
    assert answer.status_code == 409
    assert "re-enable" in answer.json()["error"]["message"]


def test_a_delivery_of_another_endpoint_is_not_found_here(
    editor, receiver, endpoint, published_claim
):
    other = client_for(editor).post(
        "/api/v1/webhooks/", {"url": receiver.url("/b"), "events": ["published"]}, format="json"
    )
    delivery = Delivery.objects.get(endpoint=endpoint)
    answer = client_for(editor).post(
        f"/api/v1/webhooks/{other.json()['id']}/deliveries/{delivery.pk}/redeliver/"
    )
    assert answer.status_code == 404


def test_enable_turns_a_disabled_endpoint_back_on(editor, endpoint):
    Endpoint.objects.filter(pk=endpoint.pk).update(active=False, consecutive_failures=5)
    answer = client_for(editor).post(f"/api/v1/webhooks/{endpoint.pk}/enable/")
    assert answer.status_code == 200
    assert answer.json()["active"] is True and answer.json()["consecutive_failures"] == 0


def test_the_active_filter_takes_true_or_false_only(editor):
    client = client_for(editor)
    assert client.get("/api/v1/webhooks/", {"active": "true"}).status_code == 200
    refused = client.get("/api/v1/webhooks/", {"active": "null"})
    assert refused.status_code == 400
    assert "true or false" in refused.json()["error"]["fields"]["active"][0]
