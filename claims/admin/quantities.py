"""Quantities on their own list and page; new ones go through ``quantity_add``."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from claims.admin.base import ClaimChildAdminMixin, DeskAdmin, ServiceCreateMixin
from claims.admin.forms import QuantityForm, quantity_save_new
from claims.models import Quantity


@admin.register(Quantity)
class QuantityAdmin(ServiceCreateMixin, ClaimChildAdminMixin, DeskAdmin):
    form = QuantityForm
    list_display = ["__str__", "claim_short", "kind", "value", "unit", "period", "approximate"]
    list_filter = ["kind", "period", "approximate"]
    search_fields = ["claim__statement", "text", "unit"]
    search_help_text = "Search claim statement, figure as written, or unit."
    list_select_related = ["claim"]
    autocomplete_fields = ["claim"]

    def service_create(self, request: HttpRequest, obj: Quantity) -> Quantity:
        return quantity_save_new(actor=request.user, claim=obj.claim, row=obj)
