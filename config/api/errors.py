"""The API's one error shape, whichever layer raised the error::

    {"error": {"code": "conflict", "message": "Cannot publish claim #7: …", "fields": {}}}

``fields`` maps a field (dotted for nested input) to its messages. The services' exceptions map
onto statuses here (``WorkflowConflict`` 409, ``ValidationError`` 400, ``PermissionDenied`` 403),
so a rule broken at the API door reads the same as at the admin door.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from claims.exceptions import WorkflowConflict


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The move is not allowed in the resource's current state."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The resource changed since you read it (If-Match does not match its ETag); "
        "read it again and reapply your change."
    )
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the resource's ETag in an If-Match header, so that an edit never overwrites a "
        "change you have not seen."
    )
    default_code = "precondition_required"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text='Machine-readable, e.g. "invalid", "conflict".')
    message = serializers.CharField(help_text="What went wrong, for a person.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Input field (dotted for nested input) → its messages; empty when the error "
        "is not about a field.",
    )


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (used by the schema)."""

    error = ErrorBodySerializer()


def _flatten(detail: Any, prefix: str = "", flat: dict | None = None) -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"appearances.0.quote": ["…"]}``."""
    flat = {} if flat is None else flat
    if isinstance(detail, dict | list):
        for key, value in detail.items() if isinstance(detail, dict) else enumerate(detail):
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(detail, list) and not isinstance(value, dict | list):
                name = prefix  # a list of messages
            elif str(key) == api_settings.NON_FIELD_ERRORS_KEY and prefix:
                name = prefix  # a nested object's own non-field errors: the object's path
            _flatten(value, name, flat)
    else:
        flat.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).append(str(detail))
    return flat


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, WorkflowConflict):
        return Conflict(str(exc))
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(serializers.as_serializer_error(exc))
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return PayloadTooLarge(f"The request body is over the limit of {limit} bytes.")
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return None


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        name, messages = next(iter(fields.items()), ("", ["Invalid input."]))
        prefix = "" if name in ("", api_settings.NON_FIELD_ERRORS_KEY) else f"{name}: "
        return {"code": "invalid", "message": prefix + messages[0], "fields": fields}
    detail = exc.detail
    if isinstance(detail, dict | list):
        fields = _flatten(detail)
        message = next(iter(fields.values()), [str(exc.default_detail)])[0]
        return {"code": exc.default_code, "message": message, "fields": fields}
    code = getattr(detail, "code", None) or exc.default_code
    return {"code": str(code), "message": str(detail), "fields": {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every known error in the one shape; anything else is a bug
    and is left to Django's 500 handling (and the test client raises it)."""
    api_exc = _as_api_exception(exc)
    if api_exc is None:
        return None
    headers: dict[str, str] = {}
    if getattr(api_exc, "auth_header", None):
        headers["WWW-Authenticate"] = api_exc.auth_header
    if getattr(api_exc, "wait", None):
        headers["Retry-After"] = str(int(api_exc.wait))
    set_rollback()
    return Response({"error": error_body(api_exc)}, status=api_exc.status_code, headers=headers)


@csrf_exempt  # a POST to nowhere is a 404, whatever its CSRF token
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under /api/ that no endpoint serves: 404 in the one error shape (Django's
    own page is HTML), with a hint when the address only lacks its final slash."""
    message = f"No endpoint at {request.path}."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            message += f" Did you mean {request.path}/?"
    body = {"error": {"code": "not_found", "message": message, "fields": {}}}
    return JsonResponse(body, status=404)
