"""The webhooks in the REST API, editors only: endpoints, their delivery logs, send again."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api.permissions import IsEditor
from config.api.filters import StrictBooleanFilter
from config.webhooks.models import (
    DELIVERY_PROGRESS_FIELDS,
    ENDPOINT_HEALTH_FIELDS,
    Attempt,
    Delivery,
    Endpoint,
    WebhookEvent,
)
from config.webhooks.services import endpoints
from config.webhooks.services.deliveries import delivery_redeliver


class EndpointFilter(filters.FilterSet):
    active = StrictBooleanFilter(label="Only endpoints turned on (true) or off (false).")

    class Meta:
        model = Endpoint
        fields: list[str] = []


class EndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), allow_empty=False
    )
    secret = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="HMAC-SHA256 key of the signatures; generated when empty or not given.",
    )
    created_by = serializers.CharField(source="created_by.get_username", read_only=True)

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "secret",
            *ENDPOINT_HEALTH_FIELDS,
            "created_by",
            "created_at",
        ]
        read_only_fields = [*ENDPOINT_HEALTH_FIELDS, "created_at"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["at", "ok", "status_code", "error", "duration_ms"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "key",
            "event",
            "claim",
            "workflow_event",
            *DELIVERY_PROGRESS_FIELDS,
            "created_at",
            "payload",
            "log",
        ]
        read_only_fields = fields


class EndpointViewSet(viewsets.ModelViewSet):
    """The desk's webhook endpoints, for editors. Each is sent the events it subscribes to,
    signed with its secret (see the README's "Webhooks")."""

    permission_classes = [IsEditor]
    serializer_class = EndpointSerializer
    queryset = Endpoint.objects.select_related("created_by")
    filterset_class = EndpointFilter
    ordering_fields = ["created_at", "id"]

    def perform_create(self, serializer: EndpointSerializer) -> None:
        given = serializer.validated_data
        serializer.instance = endpoints.endpoint_create(actor=self.request.user, **given)

    def perform_update(self, serializer: EndpointSerializer) -> None:
        serializer.instance = endpoints.endpoint_update(
            actor=self.request.user, endpoint=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: Endpoint) -> None:
        endpoints.endpoint_delete(actor=self.request.user, endpoint=instance)

    @extend_schema(request=None, responses=EndpointSerializer)
    @action(detail=True, methods=["post"])
    def enable(self, request: Request, pk: Any = None) -> Response:
        """Turn a disabled endpoint back on, its failure count at zero."""
        endpoint = endpoints.endpoint_enable(actor=request.user, endpoint=self.get_object())
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(request=None, responses=DeliverySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filterset_class=None, ordering_fields=[])
    def deliveries(self, request: Request, pk: Any = None) -> Response:
        """The endpoint's deliveries, newest first, each with its attempts."""
        endpoint = self.get_object()
        rows = endpoint.deliveries.prefetch_related("log").order_by("-created_at", "-id")
        page = self.paginate_queryset(rows)
        data = DeliverySerializer(page if page is not None else rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=None, responses=DeliverySerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]+)/redeliver",
        url_name="redeliver",
    )
    def redeliver(self, request: Request, pk: Any = None, delivery_id: str = "") -> Response:
        """Send a delivery again: the same key and payload, a fresh set of attempts. 409 while
        it is being sent or when the endpoint is disabled."""
        endpoint = self.get_object()
        delivery = get_object_or_404(Delivery, pk=int(delivery_id), endpoint=endpoint)
        delivery = delivery_redeliver(actor=request.user, delivery=delivery)
        return Response(DeliverySerializer(delivery).data)
