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


class DeskAdminSite(admin.AdminSite):
    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        # Imported here: this module is loaded while the apps are set up, before any model.
        from verification.dashboard.views import index_context

        return super().index(request, {**index_context(request), **(extra_context or {})})


class DeskAdminConfig(AdminConfig):
    default_site = "config.admin.DeskAdminSite"
