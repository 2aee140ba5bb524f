"""The desk's admin site: Django's, with the desk overview as its start page.

``DeskAdminConfig`` replaces ``django.contrib.admin`` in ``INSTALLED_APPS`` and makes
:class:`DeskAdminSite` the default site, so ``admin.site`` and every ``@admin.register`` in the
apps use it unchanged. The overview itself lives in :mod:`verification.dashboard`.
"""

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
        # The calibration pages are the dashboard's (verification.dashboard.calibration); the
        # figures' own rule decides who may open which, behind the admin's login.
        from verification.dashboard.calibration import calibration_page

        def desk(request: HttpRequest) -> TemplateResponse:
            return calibration_page(request, reviewer_id=None)

        def reviewer(request: HttpRequest, reviewer_id: int) -> TemplateResponse:
            return calibration_page(request, reviewer_id=reviewer_id)

        return [
            path("calibration/", self.admin_view(desk), name="calibration"),
            path(
                "calibration/<int:reviewer_id>/",
                self.admin_view(reviewer),
                name="reviewer_calibration",
            ),
            *super().get_urls(),
        ]


class DeskAdminConfig(AdminConfig):
    default_site = "config.admin.DeskAdminSite"
