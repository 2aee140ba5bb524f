"""Filter types whose accepted values are exactly what the schema says: where django-filter
ignores ``?overdue=maybe`` or takes decimals for ids, these answer 400."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


class _StrictBooleanField(forms.Field):
    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        lowered = str(value).lower()
        if lowered not in ("true", "false"):
            raise forms.ValidationError("Give true or false.", code="invalid")
        return lowered == "true"


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(filters.Filter):
    field_class = _StrictBooleanField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """An object's id (a whole number)."""

    field_class = forms.IntegerField


class DeskFilterBackend(DjangoFilterBackend):
    """django-filter, but a typed parameter sent empty (``?state=``) is a 400, not ignored
    (free-text filters may be empty)."""

    def get_filterset(self, request: Request, queryset: QuerySet, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        errors = {}
        for name, item in filterset.filters.items():
            if isinstance(item, filters.CharFilter):
                continue
            suffixes = getattr(item.field.widget, "suffixes", None)
            for parameter in [f"{name}_{s}" for s in suffixes] if suffixes else [name]:
                if "" in request.query_params.getlist(parameter):
                    errors[parameter] = ["Give a value, or leave the parameter out."]
        if errors:
            raise ValidationError(errors)
        return filterset
