"""The archive in the REST API: cited pages with their archived copy (``/api/v1/archives/``)."""

from __future__ import annotations

import django_filters
from django.urls import reverse
from rest_framework import mixins, serializers, viewsets

from config.api.filters import IdFilter
from config.archive.models import Page, Snapshot


class SnapshotSerializer(serializers.ModelSerializer):
    text_url = serializers.SerializerMethodField()
    warc_url = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = [
            "id",
            "fetched_at",
            "final_url",
            "status_code",
            "content_type",
            "body_sha256",
            "body_size",
            "warc_sha256",
            "text_sha256",
            "screenshot_sha256",
            "problem",
            "timestamped_at",
            "timestamp_authority",
            "timestamp_sha256",
            "public_copy_url",
            "attest_problem",
            "text_url",
            "warc_url",
        ]

    def get_text_url(self, snapshot: Snapshot) -> str | None:
        return reverse("archive:text", args=[snapshot.pk]) if snapshot.text_key else None

    def get_warc_url(self, snapshot: Snapshot) -> str | None:
        return reverse("archive:warc", args=[snapshot.pk]) if snapshot.warc_key else None


class PageSerializer(serializers.ModelSerializer):
    archived = SnapshotSerializer(read_only=True, allow_null=True)
    evidence = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()

    class Meta:
        model = Page
        fields = [
            "id",
            "url",
            "status",
            "last_error",
            "attempts",
            "watch",
            "failed_checks",
            "last_checked_at",
            "next_check_at",
            "archived",
            "evidence",
            "sources",
        ]

    def get_evidence(self, page: Page) -> list[int]:
        return [c.evidence_id for c in page.citations.all() if c.evidence_id]

    def get_sources(self, page: Page) -> list[int]:
        return [c.source_id for c in page.citations.all() if c.source_id]


class PageFilter(django_filters.FilterSet):
    evidence = IdFilter(field_name="citations__evidence")
    source = IdFilter(field_name="citations__source")

    class Meta:
        model = Page
        fields = ["status", "watch", "evidence", "source"]


class ArchiveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cited pages and what the desk archived of them. Reviewers and editors read them."""

    queryset = Page.objects.select_related("archived").prefetch_related("citations").distinct()
    serializer_class = PageSerializer
    filterset_class = PageFilter
    ordering_fields = ["created_at", "last_checked_at", "id"]
