"""Versions of editable resources (strong ETags) and the If-Match check on writes.

A client reads a resource, gets its ETag, and sends it back in If-Match with its change. If
someone changed the resource in between, the ETag differs and the write answers 412 without
changing anything; a PUT or PATCH without If-Match answers 428, so no client can overwrite a
change it never saw by forgetting the header.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from config.api.errors import PreconditionFailed, PreconditionRequired


def etag_of(label: str, parts: Iterable[Any]) -> str:
    """A strong ETag: a hash of the fields a change to the resource changes."""
    text = "\x1f".join([label, *(str(part) for part in parts)])
    return '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + '"'


def if_match_satisfied(header: str, current: str) -> bool:
    """RFC 9110 If-Match: "*" or a list of strong tags, one of which is the current one."""
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    return "*" in tags or current in tags


def check_if_match(request: Request, current: str, *, required: bool) -> None:
    """Refuse a write whose If-Match names another version (412), or has none when one is
    required (428)."""
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise PreconditionRequired()
        return
    if not if_match_satisfied(header, current):
        raise PreconditionFailed()


class ETagMixin:
    """For the viewsets of editable resources: an ETag on every single-object response, and
    the If-Match check under a row lock before a write.

    Subclasses set ``etag_label`` and ``etag_parts``; ``if_match_actions`` names the actions
    (workflow moves) that accept an optional If-Match. The schema reads the same attributes
    (``config.api.schema.DeskAutoSchema``).
    """

    etag_label: str = ""
    if_match_actions: tuple[str, ...] = ()

    def etag_parts(self, obj: Any) -> Iterable[Any]:
        raise NotImplementedError

    def etag_for(self, obj: Any) -> str:
        return etag_of(self.etag_label, self.etag_parts(obj))

    def reload(self, pk: Any) -> Any:
        """The object as the caller's list shows it (annotations, prefetches), read afresh."""
        return self.get_queryset().get(pk=pk)

    def respond(self, obj: Any, *, status: int = 200, serializer_class: Any = None) -> Response:
        serializer_class = serializer_class or self.get_serializer_class()
        serializer = serializer_class(obj, context=self.get_serializer_context())
        return Response(serializer.data, status=status, headers={"ETag": self.etag_for(obj)})

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object())

    def current_version(self, obj: Any, *, required: bool) -> Any:
        """Lock the object's row and check If-Match against its current version; call inside
        ``transaction.atomic``. Returns the object read afresh under the lock.

        On PostgreSQL the lock holds off every other writer until the caller's transaction
        ends, so the version checked is the version changed.
        """
        model = type(obj)
        model._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk").get()
        current = self.reload(obj.pk)
        check_if_match(self.request, self.etag_for(current), required=required)
        return current
