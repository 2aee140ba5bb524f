"""The changelists behind the overview's figures. Their parameters come from
:class:`~verification.dashboard.scope.DeskScope`, which also filters the figures, so a number
and the list it opens cannot drift apart."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from claims.models import Claim
from verification.models import Assignment, Review


def changelist_url(model: type[Model], params: Mapping[str, str] | None = None) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(sorted(params.items()))}" if params else url


def change_url(obj: Model) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def ordering_params(request: HttpRequest, model: type[Model], field: str) -> dict[str, str]:
    """The changelist's ``o`` parameter that sorts by ``field`` ascending, when the list shows
    that column (``o`` counts the columns as this person's changelist has them: with the action
    checkbox first when they have actions)."""
    model_admin = admin.site.get_model_admin(model)
    columns = list(model_admin.get_list_display(request))
    if model_admin.get_actions(request):
        columns.insert(0, "action_checkbox")
    return {"o": str(columns.index(field))} if field in columns else {}


def claims_url(params: Mapping[str, str]) -> str:
    return changelist_url(Claim, params)


def assignments_url(params: Mapping[str, str]) -> str:
    return changelist_url(Assignment, params)


def reviews_url(params: Mapping[str, str]) -> str:
    return changelist_url(Review, params)
