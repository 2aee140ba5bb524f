"""Pagination: numbered pages by default, keyset (cursor) pages on request."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response


class DeskCursorPagination(CursorPagination):
    """Keyset pages over a fixed order (newest id first): stable under inserts, no COUNT."""

    ordering = ("-id",)
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        # Not the list's ?ordering=: a keyset needs one unique, fixed order.
        return self.ordering


class DeskPagination(PageNumberPagination):
    """Numbered pages (``?page=2&page_size=50``), or keyset pages for large tables.

    ``?cursor=`` (empty) starts a cursor walk; each page's ``next``/``previous`` links carry the
    cursor. In cursor mode the order is fixed (newest first) and ``count`` is absent, so a walk
    over a large table never counts it and never skips or repeats a row when rows are added.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"
    last_page_strings = ()  # pages are numbers, as the schema says

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": [f"Give a whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self.cursor = None
        page = request.query_params.get(self.page_query_param)
        if page is not None and not (page.isdigit() and int(page) >= 1):
            raise exceptions.NotFound(self.invalid_page_message)
        if self.cursor_query_param in request.query_params:
            self.cursor = DeskCursorPagination()
            self.cursor.page_size = self.get_page_size(request)
            return self.cursor.paginate_queryset(queryset, request, view)
        self.get_page_size(request)  # validate before paginating
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        if self.cursor is not None:
            return self.cursor.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": "Absent in cursor mode."},
                "next": link,
                "previous": link,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number (numbered pages).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1–{self.max_page_size} "
                f"(default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Cursor mode: send it empty for the first page, then follow "
                "`next`. The order is fixed (newest first) and `count` is absent.",
                "schema": {"type": "string"},
            },
        ]
