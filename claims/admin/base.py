"""What every admin of the desk is built from, in both apps: the base classes, and the plumbing
to the services (a refusal as a message or a form error, :func:`run_for_each`, :func:`adopt`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from claims.exceptions import WorkflowConflict
from claims.models import Claim
from claims.roles import is_editor

# --- Handing admin input to the services -------------------------------------------------

# What a service may refuse with; every admin door turns these into a message or a form error.
SERVICE_ERRORS = (WorkflowConflict, ValidationError, PermissionDenied)


class NoteActionForm(ActionForm):
    """The changelist's action bar, with a note for moves that need a reason."""

    note = forms.CharField(
        required=False,
        label="Note",
        widget=forms.TextInput(
            attrs={"size": 50, "placeholder": "Reason (needed to dismiss, send back, reopen…)"}
        ),
    )


def error_text(error: Exception) -> str:
    """One readable sentence from a service's refusal."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You may not do that."


def add_service_error(form: forms.Form, error: Exception) -> None:
    """Show a service's refusal on the form: on the field it names, or above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error_text(error))


def run_for_each(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    move: Callable[[Any], object],
    done: str,
) -> None:
    """Apply one service call (its own transaction) to each selected row, reporting each
    refusal by name while the others go through."""
    count = 0
    name = model_admin.model._meta.verbose_name
    for obj in queryset:
        try:
            move(obj)
        except SERVICE_ERRORS as error:
            label = Truncator(str(obj)).chars(60)
            model_admin.message_user(
                request,
                f"{name.capitalize()} #{obj.pk} ({label}) was left as it was: {error_text(error)}",
                messages.ERROR,
            )
        else:
            count += 1
    if count:
        plural = name if count == 1 else model_admin.model._meta.verbose_name_plural
        model_admin.message_user(request, f"{done} {count} {plural}.", messages.SUCCESS)


def adopt(obj: Model, saved: Model) -> None:
    """Make the admin's unsaved form instance stand for the row a service has just created,
    as the admin goes on to save inlines against it and to redirect to its key. Values go into
    ``__dict__``: a protected FSM state field refuses attribute assignment."""
    for field in saved._meta.concrete_fields:
        obj.__dict__[field.attname] = saved.__dict__[field.attname]
    obj._state.adding = False
    obj._state.db = saved._state.db
    obj._state.fields_cache = {}


# --- Base classes ------------------------------------------------------------------------


class DeskAdminMixin:
    """What every admin of the desk shares.

    - A service's late refusal on save (someone moved the claim after the form's checks)
      becomes a message, not a server error; the save's transaction keeps nothing of it.
    - Ordering is always explicit: Django drops a model's default ordering from the lists'
      grouped (annotated) queries, which would leave autocompletes unordered.
    """

    def get_ordering(self, request: HttpRequest) -> list[str]:
        return list(super().get_ordering(request) or self.model._meta.ordering)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (WorkflowConflict, ValidationError) as error:
            self.message_user(request, f"Nothing was saved: {error_text(error)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class EditorsOnlyMixin:
    """Rows that are the editors' (jobs and their reports, webhooks): the role decides, as in
    the services, not a model permission."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_editor(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user)


class ReadOnlyAdminMixin:
    """Rows only the services write: nobody adds, edits or deletes them in the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeskAdmin(DeskAdminMixin, admin.ModelAdmin):
    """A model admin for rows without history."""


class HistoryAdmin(DeskAdminMixin, SimpleHistoryAdmin):
    """History to read, never to write back (a revert would go behind the workflow services'
    backs), and only for rows the person may see in the list (blind review, own assignments).
    """

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied("History is read-only.")
        self._require_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _require_visible(self, request: HttpRequest, object_id: str) -> None:
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No such row, or not yours to see.")


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """An inline that shows rows only the services write."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.fields)

    def scoped(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.has_view_or_change_permission(request):
            return queryset.none()
        return queryset


class ClaimChildAdminMixin:
    """Rows that belong to a claim are read-only, like the claim, while it is published."""

    @admin.display(description="claim")
    def claim_short(self, obj: Any) -> str:
        return short(str(obj.claim), 50)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.claim.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.claim.is_locked:
            return False
        return super().has_delete_permission(request, obj)


class ServiceCreateMixin:
    """A new row is created by :meth:`service_create`, and the form's instance stands for it."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        if change:
            obj.save()
        else:
            adopt(obj, self.service_create(request, obj))

    def service_create(self, request: HttpRequest, obj: Any) -> Model:
        raise NotImplementedError


class ServiceActionsMixin:
    """Changelist actions that hand each selected row to a service (:func:`run_for_each`): the
    row as the keyword ``service_row`` names (``claim=``, ``assignment=``), the person acting
    as ``actor``, and a note typed in the action bar."""

    action_form = NoteActionForm
    service_row: str

    def run_service(
        self, request: HttpRequest, queryset: QuerySet, move: Any, done: str, **options: Any
    ) -> None:
        run_for_each(
            self,
            request,
            queryset,
            move=lambda row: move(actor=request.user, **{self.service_row: row}, **options),
            done=done,
        )


class ChangeContextMixin:
    """A change page's extra context, built from its row by :meth:`change_context`."""

    def change_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        """What the page shows beside the form; ``obj`` is ``None`` when the row is not
        found (the admin then answers as it always does)."""
        return {}

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        extra_context = {**(extra_context or {}), **self.change_context(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)


def short(text: str, length: int = 70) -> str:
    return Truncator(text).chars(length)


def claim_link(claim: Claim) -> str:
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    return format_html('<a href="{}">#{} {}</a>', url, claim.pk, short(claim.statement, 60))
