"""Strong ETags: If-Match on writes (412 when stale, 428 when a PUT or PATCH lacks it), and
conditional GET on reads (304 while If-None-Match names the current answer).

The checks run in the view's handler, after DRF's authentication, permissions and throttles: a
revoked token is a 401 and a caller over their rate a 429, never a 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.errors import PreconditionFailed, PreconditionRequired


def etag_of(label: str, parts: Iterable[Any]) -> str:
    """A strong ETag: a hash of what the answer is made from."""
    text = "\x1f".join([label, *(str(part) for part in parts)])
    return '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + '"'


def check_if_match(request: Request, current: str, *, required: bool) -> None:
    """412 when If-Match names another version, 428 when it is missing but ``required``
    (RFC 9110: "*" or a list of strong tags; a header naming no tag matches nothing)."""
    header = request.META.get("HTTP_IF_MATCH")
    if header is None:
        if required:
            raise PreconditionRequired()
        return
    tags = parse_etags(header)
    if tags != ["*"] and current not in tags:
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
        """Lock the row (inside ``transaction.atomic``: the version checked is the version
        changed), check If-Match against it and return the object read afresh."""
        model = type(obj)
        model._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk").get()
        current = self.reload(obj.pk)
        check_if_match(self.request, self.etag_for(current), required=required)
        return current


class ConditionalGetMixin(ETagMixin):
    """An :class:`ETagMixin` whose ETag stands for the caller's whole answer, so that reads
    answer If-None-Match: a list page and a single object each send an ETag, and a request
    naming it gets 304 Not Modified.

    Subclasses define :meth:`etag_rows`: what the answer shows of the objects of a query of
    ``get_queryset()``, read as values (no object built, nothing serialized or rendered), with
    whatever about the caller changes it. A list page's ETag adds the URL (filters, page,
    host in the links) and the page's count and links; every ETag adds the media type.
    """

    def etag_rows(self, objects: QuerySet) -> list[Any]:
        raise NotImplementedError

    @property
    def default_response_headers(self) -> dict[str, str]:
        # Each caller's answer is their own: shared caches keep them apart by these.
        return {**super().default_response_headers, "Vary": "Accept, Authorization, Cookie"}

    def etag_parts(self, obj: Any) -> list[Any]:
        objects = self.get_queryset().filter(pk=obj.pk)
        return [self.request.accepted_renderer.format, *self.etag_rows(objects)]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        obj = self.get_object()
        return self.not_modified(self.etag_for(obj)) or self.respond(obj)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        objects = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(objects)
        parts: list[Any] = [request.accepted_renderer.format, request.build_absolute_uri()]
        if page is None:
            rows = objects
        else:
            links = self.get_paginated_response([]).data  # count, next, previous
            parts.append(sorted(links.items()))
            rows = page
            if not isinstance(page, QuerySet):  # a cursor page, already read
                parts.append([obj.pk for obj in page])
                rows = self.get_queryset().filter(pk__in=[obj.pk for obj in page])
        etag = etag_of(f"{self.etag_label} list", [*parts, *self.etag_rows(rows)])
        unchanged = self.not_modified(etag)
        if unchanged is not None:
            return unchanged
        data = self.get_serializer(objects if page is None else page, many=True).data
        response = Response(data) if page is None else self.get_paginated_response(data)
        response["ETag"] = etag
        return response

    def not_modified(self, etag: str) -> HttpResponseBase | None:
        """304 with the ETag when the request's If-None-Match names it; None to answer."""
        response = get_conditional_response(self.request, etag=etag)
        if response is None:
            return None
        if response.status_code == 412:  # If-Match on a read, naming another version
            raise PreconditionFailed()
        response["ETag"] = etag
        return response
