"""Pagination: numbered pages by default, keyset (cursor) pages on request.

Counting a large table on every request costs more than the page (``bench/``, 1,000,000
claims), so a count past ``EXACT_COUNT_LIMIT`` rows is PostgreSQL's estimate, and the response
says so in a header.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

EXACT_COUNT_LIMIT = 1000
ESTIMATE_HEADER = "Count-Is-Estimate"


class BoundedCountPaginator(Paginator):
    """Counts at most ``EXACT_COUNT_LIMIT + 1`` rows; past that, the planner's estimate of the
    same query (``QuerySet.explain``, which runs nothing). SQLite estimates nothing: exact."""

    count_is_estimate = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet) or connections[rows.db].vendor != "postgresql":
            return super().count
        keys = rows.order_by().values("pk")
        bounded = keys[: EXACT_COUNT_LIMIT + 1].count()
        if bounded <= EXACT_COUNT_LIMIT:
            return bounded
        self.count_is_estimate = True
        return max(bounded, self._estimate(keys))

    @staticmethod
    def _estimate(rows: QuerySet) -> int:
        plan = json.loads(rows.explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])


class DeskCursorPagination(CursorPagination):
    """Keyset pages, newest id first: stable under inserts, no COUNT."""

    ordering = ("-pk",)
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        # Not the list's ?ordering=: a keyset needs one unique, fixed order.
        return self.ordering


class DeskPagination(PageNumberPagination):
    """Numbered pages (``?page=2&page_size=50``), or keyset pages from ``?cursor=`` (empty)
    on, following ``next``: a fixed order, no ``count``, no row skipped or repeated."""

    django_paginator_class = BoundedCountPaginator
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
        return self._numbered_page(queryset, request)

    def _numbered_page(self, queryset: Any, request: Request) -> Any:
        """DRF's numbered page, its rows left as the page's query, not yet run (the claims
        list reads it as values)."""
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            message = self.invalid_page_message.format(page_number=page_number, message=exc)
            raise exceptions.NotFound(message) from exc
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True  # the browsable API's page links
        return self.page.object_list

    def get_paginated_response(self, data: Any) -> Response:
        if self.cursor is not None:
            return self.cursor.get_paginated_response(data)
        response = super().get_paginated_response(data)
        if getattr(self.page.paginator, "count_is_estimate", False):
            # A header, not a field: the page's shape stays the one the schema promises.
            response[ESTIMATE_HEADER] = "true"
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Absent in cursor mode. Exact up to "
                    f"{EXACT_COUNT_LIMIT:,} rows; past that, PostgreSQL's estimate, and the "
                    f"response carries the header `{ESTIMATE_HEADER}: true`.",
                },
                "next": link,
                "previous": link,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        size = self.max_page_size
        parameters = [
            (self.page_query_param, "Page number (numbered pages).", {"minimum": 1}),
            (
                self.page_size_query_param,
                f"Results per page, 1–{size} (default {self.page_size}).",
                {"minimum": 1, "maximum": size},
            ),
            (
                self.cursor_query_param,
                "Cursor mode: send it empty for the first page, then follow `next`. The order "
                "is fixed (newest first) and `count` is absent.",
                None,
            ),
        ]
        return [
            {
                "name": name,
                "required": False,
                "in": "query",
                "description": text,
                "schema": {"type": "integer", **bounds} if bounds else {"type": "string"},
            }
            for name, text, bounds in parameters
        ]
