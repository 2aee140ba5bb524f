"""The OpenAPI schema's shared parts: error responses and the ETag headers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import AllowAny

from config.api.errors import ErrorSerializer

ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Invalid input: `fields` names each invalid field.",
    401: "No credentials, or invalid ones.",
    403: "Your role does not allow this.",
    404: "No such resource, or not one you may see (also: an invalid page or cursor).",
    409: "The move is not allowed in the resource's current state (the message says why).",
    410: "Gone: the resource was withdrawn (the message says when and why).",
    412: "If-Match does not match the resource's current ETag: it changed since you read it.",
    413: "The request body is too large.",
    415: "The body is not JSON (send Content-Type: application/json).",
    428: "PUT and PATCH need an If-Match header with the resource's ETag.",
    429: "Too many requests; retry after the number of seconds in Retry-After.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """``extend_schema(responses=…)`` entries for these error statuses, in the one shape."""
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
        for code in codes
    }


ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200],
    description="The version of the answer: send it back in If-Match to change the resource, "
    "or in If-None-Match to ask again.",
)


IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="The ETag of the answer you have. While it is current, the answer is 304 Not "
    "Modified with no body.",
)
NOT_MODIFIED = OpenApiResponse(description="Not modified: the answer you have is current.")


def _if_match(*, required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        "If-Match",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        required=required,
        description="The ETag you read. A stale one answers 412 and changes nothing."
        + ("" if required else " Optional here."),
    )


class DeskAutoSchema(AutoSchema):
    """Adds to each operation the error responses it can give and, for views with
    ``etag_parts`` / ``etag_rows`` (``config.api.etags``), the ETag, If-Match and
    If-None-Match headers and the 304."""

    def _conditional_get(self) -> bool:
        action = getattr(self.view, "action", None)
        return hasattr(self.view, "etag_rows") and action in ("list", "retrieve")

    def _etag_role(self) -> str | None:
        if not hasattr(self.view, "etag_parts"):
            return None
        action = getattr(self.view, "action", None)
        if self.method in ("PUT", "PATCH"):
            return "required"
        if action in getattr(self.view, "if_match_actions", ()):
            return "optional"
        if action == "retrieve" or self._conditional_get():
            return "read"
        return None

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        role = self._etag_role()
        if role in ("required", "optional"):
            parameters.append(_if_match(required=role == "required"))
        if role is not None:
            parameters.append(ETAG_HEADER)
        if self._conditional_get():
            parameters.append(IF_NONE_MATCH)
        return parameters

    def _error_codes(self) -> list[int]:
        # Any request may carry a bad token (401) and be throttled (429).
        codes = [401, 429]
        if not all(
            isinstance(p, type) and issubclass(p, AllowAny) for p in self.view.permission_classes
        ):
            codes.append(403)
        if "{" in self.path or self._is_list_view():
            codes.append(404)  # no such object; for lists, an invalid page or cursor
        if self.method in ("POST", "PUT", "PATCH"):
            codes += [400, 413, 415]
        elif self._is_list_view():
            codes.append(400)  # an invalid filter value or page size
        return codes + {"required": [412, 428], "optional": [412]}.get(self._etag_role(), [])

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, response in error_responses(*self._error_codes()).items():
            responses.setdefault(
                str(code), self._get_response_for_code(response, str(code), direction=direction)
            )
        if self._conditional_get():
            responses["304"] = self._get_response_for_code(NOT_MODIFIED, "304", direction=direction)
        return responses


class InputSerializerExtension(OpenApiSerializerExtension):
    """Input serializers refuse unknown fields: ``additionalProperties: false``."""

    target_class = "config.api.fields.InputSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "additionalProperties": False}
