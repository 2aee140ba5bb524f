"""Claims in and out as files over HTTP (editors).

``POST /api/v1/claims/import?format=csv|jsonl&mapping=default|liar`` takes the file as the body
and answers 202 with the queued job (``claims.bulk.jobs.import_job_create``) at ``Location``;
a file the job could not read is a 400 at once, one over ``BULK_IMPORT_MAX_BYTES`` a 413.
``/api/v1/imports/`` lists the jobs, ``{id}/`` shows one and ``{id}/rows/`` its report;
``GET /api/v1/claims/export?format=csv|jsonl`` streams claims with their verdicts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files import File
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from claims.api.jobs import JOB_LOCATION, JobFilter, JobViewSet, job_schema, refuse_declared_over
from claims.api.permissions import IsEditor
from claims.bulk import CONTENT_TYPES, MAPPINGS, FileFormat, claims_export
from claims.bulk.jobs import import_job_create
from claims.extraction.jobs import is_too_large
from claims.models import Claim, ClaimState, ImportJob, ImportRow, ImportStatus
from claims.models.jobs import JOB_RECORD_FIELDS
from config.api.errors import PayloadTooLarge
from config.api.fields import username_field
from config.api.schema import error_responses


class _NoFormatOverride:
    """DRF's settings with ``?format=`` not read as a renderer choice: here it names the file
    format (csv, jsonl), and the answer is always JSON."""

    URL_FORMAT_OVERRIDE = None

    def __getattr__(self, name: str) -> Any:
        return getattr(api_settings, name)


class FileFormatNegotiation(DefaultContentNegotiation):
    settings = _NoFormatOverride()


def query_choice(request: Request, name: str, choices: list[str], default: str | None) -> str:
    value = request.query_params.get(name, default)
    if value not in choices:
        raise ValidationError({name: [f"Give one of: {', '.join(choices)}."]})
    return value


class _UploadParser(BaseParser):
    """The body as a file, stored by the job as it is read (never held whole)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return File(stream, name="import")


FORMAT_OF_MEDIA_TYPE = {
    "text/csv": FileFormat.CSV,
    "text/tab-separated-values": FileFormat.CSV,
    "application/jsonl": FileFormat.JSONL,
    "application/x-ndjson": FileFormat.JSONL,
}
# One parser a media type the import takes.
UPLOAD_PARSERS = [
    type(f"UploadParser({media_type})", (_UploadParser,), {"media_type": media_type})
    for media_type in FORMAT_OF_MEDIA_TYPE
]


class ImportJobCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField(source="created_count")
    matched = serializers.IntegerField(
        source="matched_count", help_text="Same statement as a claim the desk has."
    )
    rejected = serializers.IntegerField(source="rejected_count")


class ImportJobSerializer(serializers.ModelSerializer):
    # Not HyperlinkedIdentityField: DRF's reverse would carry the import's ?format=csv over.
    url = serializers.SerializerMethodField(help_text="The job's address.")
    rows_url = serializers.SerializerMethodField(help_text="The report, a line per row.")
    counts = ImportJobCountsSerializer(source="*")
    created_by = username_field("The editor who handed the file over.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, job: ImportJob) -> str:
        return self._address("api:import-detail", job)

    @extend_schema_field(OpenApiTypes.URI)
    def get_rows_url(self, job: ImportJob) -> str:
        return self._address("api:import-rows", job)

    def _address(self, name: str, job: ImportJob) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=[job.pk]))

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "url",
            "status",
            "name",
            "file_format",
            "mapping",
            "rows_total",
            "rows_done",
            "counts",
            *JOB_RECORD_FIELDS,
            "rows_url",
        ]
        read_only_fields = fields


class ImportRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportRow
        fields = ["row", "line", "status", "claim", "statement", "reason", "notes"]
        read_only_fields = fields


class ClaimsImportView(APIView):
    """Import claims from CSV (or TSV) or JSON Lines (editors): the file is stored and imported
    by a worker, a chunk of rows at a time; follow the job at the address in ``Location``."""

    permission_classes = [IsEditor]
    parser_classes = UPLOAD_PARSERS
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FileFormatNegotiation
    throttle_scope = "import"

    @extend_schema(
        summary="Import claims from CSV or JSON Lines (editors)",
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=FileFormat.values,
                description="csv (also TSV: the mapping names the delimiter) or jsonl; by "
                "default, from the Content-Type.",
            ),
            OpenApiParameter(
                "mapping",
                OpenApiTypes.STR,
                enum=list(MAPPINGS),
                description="Which column holds what: default (the export's columns) or liar "
                "(the LIAR data set's TSV).",
            ),
            JOB_LOCATION,
        ],
        request={media_type: OpenApiTypes.BINARY for media_type in FORMAT_OF_MEDIA_TYPE},
        responses={
            202: OpenApiResponse(ImportJobSerializer, description="Queued."),
            **error_responses(400, 413),
        },
    )
    def post(self, request: Request) -> Response:
        limit = settings.BULK_IMPORT_MAX_BYTES
        refuse_declared_over(request, limit, f"The file is over the limit of {limit:,} bytes.")
        mapping = query_choice(request, "mapping", list(MAPPINGS), "default")
        upload = request.data
        if not isinstance(upload, File):
            raise ValidationError({"body": ["The body is empty: send the file as the body."]})
        default = FORMAT_OF_MEDIA_TYPE[request.content_type.split(";")[0].strip()]
        file_format = query_choice(request, "format", FileFormat.values, default)
        upload.name = f"import.{file_format}"
        try:
            job = import_job_create(
                actor=request.user, upload=upload, file_format=file_format, mapping=mapping
            )
        except DjangoValidationError as error:
            if is_too_large(error):
                raise PayloadTooLarge(" ".join(error.messages)) from error
            raise
        data = ImportJobSerializer(job, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class ImportJobFilter(JobFilter):
    class Meta:
        model = ImportJob
        fields: list[str] = []


@job_schema("import", "its status, progress and counts")
class ImportJobViewSet(JobViewSet):
    """Import jobs and their reports (editors, who import)."""

    serializer_class = ImportJobSerializer
    filterset_class = ImportJobFilter

    def get_queryset(self) -> QuerySet[ImportJob]:
        return ImportJob.objects.select_related("created_by")

    @extend_schema(
        summary="An import job's report, a line per row (editors)",
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=ImportStatus.values, description="Only these."
            ),
        ],
        responses={200: ImportRowSerializer(many=True), **error_responses(400, 404)},
    )
    @action(detail=True, methods=["get"], filterset_class=None, ordering_fields=None)
    def rows(self, request: Request, pk: str | None = None) -> Response:
        # Not get_object(): its filters are the jobs' (a job's status is not a row's). DRF's
        # get_object_or_404, so a malformed id is a 404 as in get_object(), not a 500.
        job = get_object_or_404(self.get_queryset(), pk=pk)
        self.check_object_permissions(request, job)
        lines = ImportRow.objects.filter(job=job).order_by("row")
        if "status" in request.query_params:
            wanted = query_choice(request, "status", ImportStatus.values, None)
            lines = lines.filter(status=wanted)
        page = self.paginate_queryset(lines)
        return self.get_paginated_response(ImportRowSerializer(page, many=True).data)


# --- Bulk export ---------------------------------------------------------------------------


class ClaimsExportView(APIView):
    """Claims with their verdicts (consensus, confidence, agreement, verdicts published
    elsewhere) as CSV or JSON Lines, streamed (editors)."""

    permission_classes = [IsEditor]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        summary="Export claims with their verdicts (editors)",
        parameters=[
            OpenApiParameter(
                "format", OpenApiTypes.STR, enum=FileFormat.values, description="csv or jsonl."
            ),
            OpenApiParameter(
                "state", OpenApiTypes.STR, enum=ClaimState.values, description="Only this state."
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
            **error_responses(400),
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        file_format = query_choice(request, "format", FileFormat.values, FileFormat.CSV)
        claims = Claim.objects.all()
        if "state" in request.query_params:
            claims = claims.filter(state=query_choice(request, "state", ClaimState.values, None))
        response = StreamingHttpResponse(
            claims_export(file_format=file_format, claims=claims),
            content_type=CONTENT_TYPES[file_format],
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="claims-{stamp}.{file_format}"'
        return response
