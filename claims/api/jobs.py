"""What the API's background jobs (imports, ingestion) share: editors follow them, newest first,
and a new job answers 202 at ``Location``."""

from __future__ import annotations

from collections.abc import Callable

import django_filters as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request

from claims.api.permissions import IsEditor
from claims.models.jobs import JobStatus
from config.api.errors import PayloadTooLarge

# The header a queued job's 202 answer carries.
JOB_LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    location=OpenApiParameter.HEADER,
    response=[202],
    description="The job's address.",
)


class JobFilter(filters.FilterSet):
    """``?status=``, one or more, for every kind of job; a subclass names the model."""

    status = filters.MultipleChoiceFilter(choices=JobStatus.choices)


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One kind of job to follow (editors): the list, newest first, and each job."""

    permission_classes = [IsEditor]
    ordering_fields = ["created_at", "finished_at", "id"]
    ordering = ["-created_at", "-id"]


def job_schema(kind: str, shows: str) -> Callable[[type], type]:
    """The list's and the job's summaries: "<Kind> jobs, newest first", "One <kind> job: …"."""
    return extend_schema_view(
        list=extend_schema(summary=f"{kind.capitalize()} jobs, newest first (editors)"),
        retrieve=extend_schema(summary=f"One {kind} job: {shows} (editors)"),
    )


def refuse_declared_over(request: Request, limit: int, message: str) -> None:
    """Refuse (413) a body whose declared length is over ``limit`` before it is read: a file
    is streamed to disk as it is parsed."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(message)
