"""The desk's admin site: Django's, with the desk overview (:mod:`verification.dashboard`) as
its start page; ``DeskAdminConfig`` makes it the default site, so ``admin.site`` is this one."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path


class DeskAdminSite(admin.AdminSite):
    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        # Imported here: this module is loaded while the apps are set up, before any model.
        from verification.dashboard.views import index_context

        return super().index(request, {**index_context(request), **(extra_context or {})})

    def get_urls(self) -> list[URLPattern]:
        # The dashboard's calibration pages; their own rule decides who may open which.
        from verification.dashboard.calibration import calibration_page

        page = self.admin_view(calibration_page)
        return [
            path("calibration/", page, {"reviewer_id": None}, name="calibration"),
            path("calibration/<int:reviewer_id>/", page, name="reviewer_calibration"),
            *super().get_urls(),
        ]


class DeskAdminConfig(AdminConfig):
    default_site = "config.admin.DeskAdminSite"
