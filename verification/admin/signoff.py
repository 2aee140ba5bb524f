"""The sign-off and correction screens' URLs in the claim admin, and for editors a claim-list
column linking each claim waiting for sign-off (the screens: :mod:`verification.admin.views`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, reverse
from django.utils.html import format_html

from claims.models import Claim, ClaimState
from claims.roles import is_editor
from verification.admin.views import claim_correct_view, claim_signoff_view, page_url


class SignoffAdminMixin:
    """Adds ``<claim id>/signoff/`` (``admin:claims_claim_signoff``) and ``<claim id>/correct/``
    (``admin:claims_claim_correct``, changes to a published verdict) to the claim admin."""

    def get_urls(self) -> list[URLPattern]:
        return [
            page_url(self, "<path:object_id>/signoff/", self.signoff_view, "claims_claim_signoff"),
            page_url(self, "<path:object_id>/correct/", self.correct_view, "claims_claim_correct"),
            *super().get_urls(),
        ]

    def signoff_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return claim_signoff_view(self, request, object_id)

    def correct_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return claim_correct_view(self, request, object_id)

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        columns = list(super().get_list_display(request))
        if is_editor(request.user):
            columns.append("signoff_link")
        return columns

    @admin.display(description="sign-off")
    def signoff_link(self, obj: Claim) -> str:
        if obj.state != ClaimState.IN_REVIEW:
            return ""
        url = reverse("admin:claims_claim_signoff", args=[obj.pk])
        return format_html('<a href="{}" aria-label="Sign off claim #{}">Sign off</a>', url, obj.pk)
