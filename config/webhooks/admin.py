"""The webhooks in the admin, for editors: endpoints, the delivery log, send again; every change
through ``webhooks.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from claims.admin.base import (
    DeskAdmin,
    EditorsOnlyMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    adopt,
    claim_link,
    run_for_each,
)
from claims.roles import is_editor
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


class EndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    secret = forms.CharField(
        required=False,
        max_length=100,
        help_text="Leave empty for a new random secret. The receiver checks signatures with it.",
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "secret"]


@admin.register(Endpoint)
class EndpointAdmin(EditorsOnlyMixin, DeskAdmin):
    form = EndpointForm
    list_display = ["url", "description", "event_list", "active", "consecutive_failures"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    list_select_related = ["created_by"]
    readonly_fields = [*ENDPOINT_HEALTH_FIELDS, "created_by", "created_at", "deliveries_link"]
    actions = ["enable"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user)  # administrators are editors too

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_editor(request.user)

    has_delete_permission = has_enable_permission = has_change_permission

    @admin.display(description="Events")
    def event_list(self, endpoint: Endpoint) -> str:
        return ", ".join(endpoint.events)

    @admin.display(description="Delivery log")
    def deliveries_link(self, endpoint: Endpoint) -> str:
        if endpoint.pk is None:
            return "—"
        url = reverse("admin:webhooks_delivery_changelist") + f"?endpoint__id__exact={endpoint.pk}"
        return format_html('<a href="{}">{} deliveries</a>', url, endpoint.deliveries.count())

    def save_model(self, request: HttpRequest, obj: Endpoint, form: Any, change: bool) -> None:
        given = {
            name: form.cleaned_data[name] for name in ("url", "description", "events", "secret")
        }
        if change:
            current = Endpoint.objects.get(pk=obj.pk)
            adopt(obj, endpoints.endpoint_update(actor=request.user, endpoint=current, **given))
        else:
            adopt(obj, endpoints.endpoint_create(actor=request.user, **given))

    def delete_model(self, request: HttpRequest, obj: Endpoint) -> None:
        endpoints.endpoint_delete(actor=request.user, endpoint=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> None:
        for endpoint in queryset:
            endpoints.endpoint_delete(actor=request.user, endpoint=endpoint)

    @admin.action(description="Turn back on (disabled endpoints)", permissions=["enable"])
    def enable(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> None:
        run_for_each(
            self,
            request,
            queryset.filter(active=False),
            move=lambda endpoint: endpoints.endpoint_enable(actor=request.user, endpoint=endpoint),
            done="Turned back on",
        )


class AttemptInline(ReadOnlyInline):
    model = Attempt
    fields = ["at", "ok", "status_code", "error", "duration_ms"]


@admin.register(Delivery)
class DeliveryAdmin(EditorsOnlyMixin, ReadOnlyAdminMixin, DeskAdmin):
    """The delivery log: what was sent where, how each attempt went. Read-only: "send again"
    is the one thing to do with a delivery, and the log stays (removing the endpoint removes
    its log)."""

    list_display = ["key", "event", "claim_link", "endpoint", "state", "attempts", "created_at"]
    list_filter = ["state", "event", "endpoint"]
    search_fields = ["key", "endpoint__url"]
    list_select_related = ["endpoint", "claim"]
    readonly_fields = [
        "key",
        "event",
        "endpoint",
        "claim",
        "workflow_event",
        *DELIVERY_PROGRESS_FIELDS,
        "payload",
        "created_at",
    ]
    fields = readonly_fields
    inlines = [AttemptInline]
    actions = ["send_again"]

    @admin.display(description="Claim", ordering="claim")
    def claim_link(self, delivery: Delivery) -> str:
        return claim_link(delivery.claim)

    has_send_again_permission = EndpointAdmin.has_add_permission

    @admin.action(description="Send again (same key and payload)", permissions=["send_again"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        run_for_each(
            self,
            request,
            queryset,
            move=lambda delivery: delivery_redeliver(actor=request.user, delivery=delivery),
            done="Queued to send again",
        )
