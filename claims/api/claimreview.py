"""ClaimReview out and in, and the public fact-check page.

- ``GET /api/v1/claimreview/`` and ``{id}/``: published claims as ClaimReview JSON-LD, open to
  anyone; ``POST /api/v1/claimreview/import``: editors send markup, a report line per review.
- ``GET /fact-checks/{id}/``: the public page of a published claim, carrying its JSON-LD.
The work is in ``claims.claimreview``.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.claimreview_serializers import (
    CLAIM_REVIEW_FEED_SCHEMA,
    CLAIM_REVIEW_SCHEMA,
    ClaimReviewImportReportSerializer,
)
from claims.api.permissions import IsEditor
from claims.claimreview import (
    claim_review_feed,
    claim_review_jsonld,
    claimreview_import,
    published_claim_reviews,
    withdrawn_fact_check,
)
from claims.models import Claim, Correction, CorrectionKind
from claims.services.records import valid_url
from config.api.pagination import DeskPagination
from config.api.parsers import JSONParser
from config.api.schema import error_responses


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class JSONLDParser(JSONParser):
    media_type = "application/ld+json"


class HTMLParser(BaseParser):
    """An HTML page as text. Read through ``request.body``, so Django's upload limit holds."""

    media_type = "text/html"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> str:
        body = parser_context["request"]._request.body
        charset = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        return body.decode(charset, errors="replace")


# --- ClaimReview out -------------------------------------------------------------------------

FEED_PARAMETERS = [
    OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="Page number."),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": DeskPagination.max_page_size},
        description=f"Reviews per page (default {DeskPagination.page_size}).",
    ),
    OpenApiParameter(
        "cursor",
        OpenApiTypes.STR,
        description="Cursor mode (send it empty, then follow the Link header): newest first, "
        "stable under new publications.",
    ),
]


class ClaimReviewFeedView(APIView):
    """Every published claim as ClaimReview, newest first, a page at a time: a schema.org
    ``DataFeed`` (the shape of Google's fact-check feeds). The next and previous pages are in
    the ``Link`` header (RFC 8288)."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONLDRenderer, JSONRenderer]

    @extend_schema(
        operation_id="claimreview_feed",
        summary="Feed of published ClaimReviews",
        parameters=FEED_PARAMETERS,
        responses={200: CLAIM_REVIEW_FEED_SCHEMA, **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        paginator = DeskPagination()
        page = paginator.paginate_queryset(published_claim_reviews(), request, view=self)
        active = paginator.cursor or paginator
        document = claim_review_feed(page, url=request.build_absolute_uri())
        links = [
            f'<{link}>; rel="{rel}"'
            for link, rel in (
                (active.get_next_link(), "next"),
                (active.get_previous_link(), "prev"),
            )
            if link
        ]
        headers = {"Link": ", ".join(links)} if links else None
        return Response(document, headers=headers)


class ClaimReviewDetailView(APIView):
    """One published claim as ClaimReview. A claim that is not published answers 404: its
    verdict is not out."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONLDRenderer, JSONRenderer]

    @extend_schema(
        operation_id="claimreview_retrieve",
        summary="A published claim as ClaimReview",
        description="The current verdict, with `dateModified` and the corrections in "
        "`reviewBody` once it was corrected. A withdrawn fact check answers 410 with the "
        "withdrawal's date and note.",
        responses={200: CLAIM_REVIEW_SCHEMA, **error_responses(404, 410)},
    )
    def get(self, request: Request, pk: int) -> Response:
        claim = published_claim_reviews().filter(pk=pk).first()
        if claim is None:
            withdrawn = withdrawn_fact_check(pk)
            if withdrawn is None:
                raise NotFound()
            raise Gone(_withdrawal_message(withdrawn))
        return Response(claim_review_jsonld(claim))


class Gone(APIException):
    status_code = 410
    default_detail = "This fact check was withdrawn."
    default_code = "gone"


def _withdrawal(claim: Claim) -> Correction:
    return [c for c in claim.corrections.all() if c.kind == CorrectionKind.WITHDRAWAL][-1]


def _withdrawal_message(claim: Claim) -> str:
    withdrawal = _withdrawal(claim)
    day = withdrawal.made_at.date().isoformat()
    return f"The fact check of claim #{claim.pk} was withdrawn on {day}: {withdrawal.note}"


def factcheck_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page of a published claim, with its ClaimReview in a JSON-LD script, its
    corrections, and a notice while it is under review again. A withdrawn fact check keeps a
    page with the withdrawal notice and its history (410 Gone)."""
    claim = published_claim_reviews().filter(pk=pk).first()
    if claim is None:
        withdrawn = withdrawn_fact_check(pk)
        if withdrawn is None:
            raise Http404("No published fact check has this number.")
        return render(
            request,
            "factchecks/withdrawn.html",
            {
                "claim": withdrawn,
                "withdrawal": _withdrawal(withdrawn),
                "corrections": list(withdrawn.corrections.all()),
                "desk_name": settings.DESK_NAME,
                "desk_url": settings.DESK_URL,
            },
            status=410,
        )
    document = claim_review_jsonld(claim)
    # JSON inside <script>: escape what could close the element or start markup.
    escaped = (
        json.dumps(document, ensure_ascii=False, indent=2)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return render(
        request,
        "factchecks/claim.html",
        {
            "claim": claim,
            "review": document,
            "jsonld": mark_safe(escaped),  # escaped just above
            "corrections": list(claim.corrections.all()),
            "desk_name": settings.DESK_NAME,
            "desk_url": settings.DESK_URL,
        },
    )


# --- ClaimReview in --------------------------------------------------------------------------


class ClaimReviewImportView(APIView):
    """Import fact checks published elsewhere (editors). The body is ClaimReview JSON-LD (an
    object, a list, an ``@graph``), a Google Fact Check Tools answer or record, a DataCommons
    feed, or an HTML page carrying the markup. Each review found is created, matched to the
    claim with the same statement, or rejected with the reason; imported claims stay "new"."""

    permission_classes = [IsEditor]
    parser_classes = [JSONParser, JSONLDParser, HTMLParser]
    renderer_classes = [JSONRenderer]
    throttle_scope = "import"

    @extend_schema(
        summary="Import ClaimReview markup (editors)",
        parameters=[
            OpenApiParameter(
                "source_url",
                {"type": "string", "format": "uri", "pattern": "^https?://"},
                description="Where the page or document was found: relative URLs resolve "
                "against it, and it is the review's URL when the markup has none.",
            ),
            OpenApiParameter(
                "url",
                {"type": "string", "format": "uri", "pattern": "^https?://"},
                description="Fetch the document from here instead (send no body): public "
                "http(s) addresses only, within the desk's time and size limits.",
            ),
        ],
        request={
            "application/json": OpenApiTypes.ANY,
            "application/ld+json": OpenApiTypes.ANY,
            "text/html": OpenApiTypes.STR,
        },
        responses={
            200: OpenApiResponse(
                ClaimReviewImportReportSerializer,
                description="A line per review found, each created, matched or rejected.",
            ),
            **error_responses(400),
        },
    )
    def post(self, request: Request) -> Response:
        source_url = request.query_params.get("source_url") or None
        if source_url is not None and not valid_url(source_url):
            raise ValidationError({"source_url": ["Give an absolute http(s) URL."]})
        url = request.query_params.get("url") or None
        if url is not None and request.META.get("CONTENT_LENGTH", "0") not in ("", "0"):
            raise ValidationError({"url": ["Send the document or its url, not both."]})
        body = None if url is not None else request.data
        is_html = isinstance(body, str) and request.content_type.startswith("text/html")
        report = claimreview_import(
            actor=request.user,
            payload=None if is_html else body,
            html=body if is_html else None,
            source_url=source_url,
            url=url,
        )
        if not report.readable:
            problems = report.problems or ["Nothing could be read."]
            raise ValidationError({"url" if url is not None else "body": problems})
        return Response(report.as_dict())
