"""The OpenAPI schema at /api/schema/ is valid OpenAPI 3, generated without warnings, and says
what the API does: the error shape, 409 on workflow moves, If-Match/412/428 on edits; the
Swagger UI at /api/docs/ works offline (its files are served here, not from a CDN)."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

JSON = "application/vnd.oai.openapi+json"
MOVES = [
    "triage",
    "dismiss",
    "restore",
    "assign",
    "send-back",
    "publish",
    "reopen",
    "correct",
    "update-verdict",
    "withdraw",
]


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", HTTP_ACCEPT=JSON)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 JSON schema


def test_the_schema_is_generated_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")


def test_every_operation_documents_its_errors_in_the_one_shape(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert {"401", "429"} <= set(responses), (method, path)
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/Error", (method, path, code)
    error = schema["components"]["schemas"]["ErrorBody"]
    assert set(error["required"]) == {"code", "message", "fields"}


@pytest.mark.parametrize("move", MOVES)
def test_workflow_moves_document_409_and_an_optional_if_match(schema, move):
    operation = schema["paths"][f"/api/v1/claims/{{id}}/{move}/"]["post"]
    assert {"409", "412", "403", "404"} <= set(operation["responses"])
    (if_match,) = [p for p in operation["parameters"] if p["name"] == "If-Match"]
    assert if_match["in"] == "header" and not if_match.get("required", False)


@pytest.mark.parametrize("path", ["/api/v1/claims/{id}/", "/api/v1/reviewer-profiles/{id}/"])
def test_edits_require_if_match_and_document_412_and_428(schema, path):
    for method in ("put", "patch"):
        operation = schema["paths"][path][method]
        (if_match,) = [p for p in operation["parameters"] if p["name"] == "If-Match"]
        assert if_match["required"] is True
        assert {"400", "412", "413", "415", "428"} <= set(operation["responses"])
    assert "ETag" in schema["paths"][path]["get"]["responses"]["200"]["headers"]


def test_lists_document_pagination_filters_and_search(schema):
    operation = schema["paths"]["/api/v1/claims/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"page", "page_size", "cursor", "ordering", "q"} <= names
    assert {"state", "rating", "topic", "speaker", "source", "assignee", "overdue"} <= names
    assert {"created_after", "created_before", "published_after", "published_before"} <= names
    page = schema["components"]["schemas"]["PaginatedClaimList"]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}


def test_the_claim_shows_its_transitions_and_nullable_verdict(schema):
    components = schema["components"]["schemas"]
    claim = components["Claim"]["properties"]
    assert claim["transitions"]["items"]["$ref"] == "#/components/schemas/ClaimMoveEnum"
    assert set(components["ClaimMoveEnum"]["enum"]) == set(MOVES)
    assert claim["agreement"]["nullable"] is True
    assert claim["consensus_rating"]["nullable"] is True


def test_the_swagger_ui_is_served_with_local_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn." not in page and "https://" not in page.split("<body")[0]
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    # Its own script is a file too (no inline script under the CSP), and reads the schema.
    assert "/api/schema/" in client.get("/api/docs/?script=").content.decode()
