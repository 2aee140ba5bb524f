"""What the admins of the desk's background jobs (imports, ingestion) share: the editors' list,
each job's page (reloading while a worker is on it), and a page of its own (``<label>/``,
``<label>_form.html``) that hands a form to the job's service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from claims.admin.base import (
    SERVICE_ERRORS,
    ChangeContextMixin,
    DeskAdmin,
    EditorsOnlyMixin,
    ReadOnlyAdminMixin,
    add_service_error,
    short,
)
from claims.roles import is_editor


class JobAdmin(EditorsOnlyMixin, ReadOnlyAdminMixin, ChangeContextMixin, DeskAdmin):
    """The list of one kind of job, each job's page, and the page that queues a new one: a
    subclass names it (``form_class``, ``submit_label``, also its address and template,
    ``form_title``, the ``queued`` message with ``{pk}``, the ``refusal``) and implements
    :meth:`job_create`."""

    date_hierarchy = "created_at"
    # The job's page reloads itself while a worker is on the job.
    change_form_template = "admin/claims/ingestjob/change_form.html"

    form_class: type[forms.Form]
    submit_label: str
    form_title: str
    queued: str
    refusal: str

    @admin.display(description="error")
    def error_summary(self, obj: Model) -> str:
        return short(obj.error, 80) if obj.error else ""

    def job_create(self, request: HttpRequest, data: dict[str, Any]) -> Model:
        """Hand the form's cleaned data to the job's service; the new job."""
        raise NotImplementedError

    def job_context(self, job: Model) -> dict[str, Any]:
        """What the job's page shows below the job: nothing more by default."""
        return {}

    def change_context(self, request: HttpRequest, job: Model | None) -> dict[str, Any]:
        return {
            "show_save": False,
            "refresh_seconds": 3 if job and not job.is_finished else None,
            **(self.job_context(job) if job is not None else {}),
        }

    def get_urls(self) -> list[URLPattern]:
        opts = self.model._meta
        label = self.submit_label.lower()
        page = path(
            f"{label}/",
            self.admin_site.admin_view(self.form_view),
            name=f"{opts.app_label}_{opts.model_name}_{label}",
        )
        return [page, *super().get_urls()]

    def form_view(self, request: HttpRequest) -> HttpResponse:
        """The form, the service's refusal shown on it, or the job's page once it is queued."""
        if not is_editor(request.user):
            raise PermissionDenied(self.refusal)
        opts = self.model._meta
        form = self.form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = self.job_create(request, form.cleaned_data)
            except SERVICE_ERRORS as error:
                add_service_error(form, error)
            else:
                self.message_user(request, self.queued.format(pk=job.pk), messages.SUCCESS)
                change = f"admin:{opts.app_label}_{opts.model_name}_change"
                return HttpResponseRedirect(reverse(change, args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": self.form_title,
            "form": form,
            "submit_label": self.submit_label,
            "media": self.media + form.media,
        }
        template = f"admin/{opts.app_label}/{opts.model_name}/{self.submit_label.lower()}_form.html"
        return TemplateResponse(request, template, context)
