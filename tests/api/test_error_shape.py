"""One error shape across the API: {"error": {"code", "message", "fields"}}, whichever layer
refused the request (serializer, service, DRF, the parser)."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from claims.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:
    body = response.json()
    assert list(body) == ["error"]
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_invalid_input_names_each_field_with_nested_fields_dotted(api, editor):
    source = factories.SourceFactory()
    response = api(editor).post(
        "/api/v1/claims/",
        {
            "statement": "",
            "priority": "someday",
            "quantities": [{"unit": "USD"}],
            "appearances": [{"source": source.pk, "quote": "not in the text at all"}],
        },
        format="json",
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {
        "statement",
        "priority",
        "quantities.0.value",
        "appearances.0.quote",
    }
    assert error["message"].startswith("statement: ")


def test_a_rule_broken_in_a_service_is_a_400_naming_the_field(api, editor):
    source = factories.SourceFactory(text="The aid is worth 3.8 billion dollars.")
    response = api(editor).post(
        "/api/v1/claims/",
        {
            "statement": "Aid figure.",
            # The span [4, 7) of the text is "aid", not this quote.
            "appearances": [{"source": source.pk, "quote": "3.8", "start": 4}],
        },
        format="json",
    )
    assert response.status_code == 400
    error = error_of(response)
    assert list(error["fields"]) == ["quote"]
    assert "not the quote" in error["message"]
    assert not Claim.objects.exists(), "a refused claim leaves nothing behind"


def test_a_firm_rating_without_evidence_is_refused_with_the_services_reason(
    api, reviewer, assignment
):
    response = api(reviewer).post(
        f"/api/v1/assignments/{assignment.pk}/review/",
        {"rating": "false", "confidence": "high", "rationale": "Wrong."},
        format="json",
    )
    assert response.status_code == 400
    error = error_of(response)
    assert list(error["fields"]) == ["evidence"]
    assert "must cite at least one piece of evidence" in error["message"]


def test_an_illegal_move_is_a_409_with_the_reason(api, editor, new_claim):
    response = api(editor).post(f"/api/v1/claims/{new_claim.pk}/publish/")
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "conflict"
    assert error["message"] == (
        f"Cannot publish claim #{new_claim.pk}: it is new, and that move is allowed only "
        "from in review."
    )
    assert error["fields"] == {}


def test_a_missing_object_is_a_404(api, editor):
    error = error_of(response := api(editor).get("/api/v1/claims/999999/"))
    assert response.status_code == 404
    assert error["code"] == "not_found"


def test_no_credentials_is_a_401_asking_for_a_token(api):
    response = api(None).get("/api/v1/claims/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert error_of(response)["code"] == "not_authenticated"


def test_a_bad_token_is_a_401(api):
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/claims/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_an_outsider_is_a_403(api, outsider):
    response = api(outsider).get("/api/v1/claims/")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_a_role_refused_by_the_service_is_a_403_with_its_message(api, editor, assignment):
    response = api(editor).post(f"/api/v1/assignments/{assignment.pk}/accept/")
    assert response.status_code == 403
    assert error_of(response)["message"] == "Only the assigned reviewer may accept this assignment."


def test_an_unsupported_method_is_a_405_listing_the_allowed_ones(api, editor, new_claim):
    response = api(editor).delete(f"/api/v1/claims/{new_claim.pk}/")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "DELETE" not in response["Allow"] and "PATCH" in response["Allow"]


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_a_body_that_is_not_json_is_a_415(api, editor, content_type):
    response = api(editor).generic(
        "POST", "/api/v1/topics/", b"name=Aid", content_type=content_type
    )
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_malformed_json_is_a_400(api, editor):
    response = api(editor).generic(
        "POST", "/api/v1/topics/", b'{"name": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_an_oversized_body_is_a_413_and_stores_nothing(api, editor):
    body = json.dumps({"title": "Long", "text": "x" * 4096}).encode()
    response = api(editor).generic(
        "POST", "/api/v1/sources/", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"
    assert "2048 bytes" in error_of(response)["message"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_a_body_under_the_limit_is_read(api, editor):
    response = api(editor).post(
        "/api/v1/sources/", {"title": "Short", "text": "x" * 1000}, format="json"
    )
    assert response.status_code == 201


def test_an_address_no_endpoint_serves_is_a_json_404(api, editor):
    response = api(editor).get("/api/v1/claims/0.5/history/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    hint = error_of(api(editor).get("/api/v1/claims"))["message"]
    assert hint == "No endpoint at /api/v1/claims. Did you mean /api/v1/claims/?"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": 0, "role": "NSC"}, "name", "Expected a string."),
        ({"name": "Kirby", "role": 7}, "role", "Expected a string."),
        ({"name": "Kirby", "kind": ["person"]}, "kind", "Expected a string."),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused_not_coerced(api, editor, body, field, message):
    response = api(editor).post("/api/v1/speakers/", body, format="json")
    assert response.status_code == 400
    assert error_of(response)["fields"] == {field: [message]}


def test_numbers_ids_and_flags_must_be_json_numbers_and_booleans(api, editor, reviewer):
    client = api(editor)
    profile = f"/api/v1/reviewer-profiles/{reviewer.reviewer_profile.pk}/"
    etag = client.get(profile)["ETag"]
    response = client.patch(
        profile, {"capacity": "5", "reminders_enabled": "yes"}, HTTP_IF_MATCH=etag
    )
    assert error_of(response)["fields"] == {
        "capacity": ["Expected a whole number."],
        "reminders_enabled": ["Expected true or false."],
    }
    claim = client.post(
        "/api/v1/claims/",
        {"statement": "A figure.", "topics": [1], "quantities": [{"value": True, "unit": "USD"}]},
    )
    assert error_of(claim)["fields"] == {
        "topics": ["Each item: expected a string."],
        "quantities.0.value": ["Expected a number, or a string of digits."],
    }


def test_a_figure_may_be_a_json_number_or_an_exact_string(api, editor):
    client = api(editor)
    for value in (3.8e9, "3800000000.25"):
        body = {"statement": "A figure.", "quantities": [{"value": value, "unit": "USD"}]}
        assert client.post("/api/v1/claims/", body).status_code == 201


def test_an_unknown_field_is_refused_not_dropped(api, editor, new_claim):
    client = api(editor)
    url = f"/api/v1/claims/{new_claim.pk}/"
    response = client.patch(url, {"priorty": "high"}, HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"priorty": ["Unknown field."]}
