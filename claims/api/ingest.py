"""/api/v1/ingest/: hand the desk an article (editors), and follow the job that extracts it.

``POST`` takes JSON ``{"text": …}`` or ``{"url": …}``, or a multipart ``file``, queues an ingest
job (``claims.extraction.jobs.ingest_job_create``) and answers 202 with it at ``Location``;
``GET {id}/`` shows its progress and, once its source is stored, the sentences the desk holds.
Input over ``INGEST_MAX_BYTES`` is a 413; a body or upload of a type it cannot read, a 415.
"""

from __future__ import annotations

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db.models import Case, F, QuerySet, TextField, Value, When
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import UnsupportedMediaType
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from claims.api.ingest_serializers import (
    IngestInputSerializer,
    IngestJobDetailSerializer,
    IngestJobSerializer,
    IngestUploadSerializer,
)
from claims.api.jobs import JOB_LOCATION, JobFilter, JobViewSet, job_schema, refuse_declared_over
from claims.extraction.documents import Format, max_bytes
from claims.extraction.jobs import ingest_job_create, is_too_large, is_unsupported_type
from claims.models import IngestJob, IngestKind, SourceKind
from config.api.errors import PayloadTooLarge
from config.api.parsers import JSONParser
from config.api.schema import error_responses

# Room for a multipart body's boundaries and its metadata fields beside the file itself.
MULTIPART_SLACK = 64 * 1024


class IngestJobFilter(JobFilter):
    kind = filters.MultipleChoiceFilter(choices=IngestKind.choices)

    class Meta:
        model = IngestJob
        fields: list[str] = []


@job_schema("ingest", "its status, progress and result")
class IngestJobViewSet(JobViewSet):
    """Ingest jobs: queue one, follow it, list them. Editors only (an article becomes many
    claims awaiting triage at once)."""

    parser_classes = [JSONParser, MultiPartParser]
    filterset_class = IngestJobFilter

    @property
    def throttle_scope(self) -> str | None:
        # Queueing an article is heavy work; following a job is not, and is polled.
        return "import" if getattr(self, "action", None) == "create" else None

    def get_queryset(self) -> QuerySet[IngestJob]:
        # The article itself (up to INGEST_MAX_BYTES) stays in the database; a URL is shown.
        given_url = Case(
            When(kind=IngestKind.URL, then=F("input")),
            default=Value(None),
            output_field=TextField(),
        )
        return (
            IngestJob.objects.select_related("created_by", "source")
            .defer("input", "source__text")
            .annotate(given_url=given_url)
        )

    def get_serializer_class(self) -> type:
        return IngestJobSerializer if self.action == "list" else IngestJobDetailSerializer

    @extend_schema(
        summary="Ingest an article (editors)",
        description="Give the article one way: JSON with its `text` (plain text, Markdown or "
        "HTML) or its `url`, or a multipart upload in `file`; `kind: transcript` reads it as a "
        "transcript, each line's speaker its claims' speaker. The job is queued for a worker; "
        "follow it at the address in `Location`. The same article given twice makes nothing "
        "new.",
        request={
            "application/json": IngestInputSerializer,
            "multipart/form-data": IngestUploadSerializer,
        },
        responses={
            202: OpenApiResponse(IngestJobDetailSerializer, description="Queued."),
            **error_responses(400, 413, 415),
        },
        parameters=[JOB_LOCATION],
    )
    def create(self, request: Request) -> Response:
        upload = (request.content_type or "").startswith("multipart/")
        # A file is streamed to disk as it is parsed: refuse one declared too large before.
        # (A JSON body is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE, and its text is measured
        # once decoded, since escapes make the body longer than the text.)
        if upload:
            message = f"The article is over the limit of {max_bytes():,} bytes."
            refuse_declared_over(request, max_bytes() + MULTIPART_SLACK, message)
        serializer_class = IngestUploadSerializer if upload else IngestInputSerializer
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("kind", None) == SourceKind.TRANSCRIPT:
            data["format"] = Format.TRANSCRIPT
        try:
            job = ingest_job_create(actor=request.user, upload=data.pop("file", None), **data)
        except ValidationError as error:
            raise _api_error(error) from error
        job = self.get_queryset().get(pk=job.pk)
        location = reverse("api:ingest-detail", args=[job.pk], request=request)
        return Response(
            IngestJobDetailSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": location},
        )


def _api_error(error: ValidationError) -> Exception:
    """The service's refusal at the API door: 413 for size, 415 for what an upload is, else
    400 with the upload's messages under ``file`` (the API's name for it)."""
    message = " ".join(error.messages)
    if is_too_large(error):
        return PayloadTooLarge(message)
    if is_unsupported_type(error):
        return UnsupportedMediaType("file", detail=message)
    if hasattr(error, "error_dict"):
        renamed = {("file" if k == "upload" else k): v for k, v in error.error_dict.items()}
        return ValidationError(renamed)
    return error
