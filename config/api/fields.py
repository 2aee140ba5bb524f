"""Serializer parts every API module shares: strict JSON types on input, user names on output.

DRF coerces (a CharField takes ``0``, a BooleanField ``"yes"``); the schema promises types, so
input serializers here refuse a value of the wrong JSON type (400, naming the field).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, PrimaryKeyRelatedField, SlugRelatedField

_EXPECTED = {
    (str,): "a string",
    (int,): "a whole number",
    (int, float): "a number",
    (int, float, str): "a number, or a string of digits",
    (bool,): "true or false",
    (list,): "a list",
    (dict,): "an object",
}


# The JSON types (as Python types) each kind of field takes, the first kind that applies (a
# multiple choice is a list; a choice of whole numbers takes those: ``_json_types``).
_FIELD_TYPES: list[tuple[tuple[type, ...], tuple[type, ...]]] = [
    ((serializers.BooleanField,), (bool,)),
    ((serializers.MultipleChoiceField, serializers.ListField, ManyRelatedField), (list,)),
    ((serializers.ListSerializer,), (list,)),
    ((serializers.ChoiceField, serializers.CharField, serializers.DateField), (str,)),
    ((serializers.DateTimeField, SlugRelatedField), (str,)),
    ((serializers.IntegerField, PrimaryKeyRelatedField), (int,)),
    ((serializers.FloatField,), (int, float)),
    ((serializers.DecimalField,), (int, float, str)),
    ((serializers.DictField, serializers.Serializer), (dict,)),
]


def _json_types(field: serializers.Field) -> tuple[type, ...] | None:
    """The JSON types a field accepts; None when it decides for itself."""
    types = next((types for kinds, types in _FIELD_TYPES if isinstance(field, kinds)), None)
    if types == (str,) and isinstance(field, serializers.ChoiceField):
        return (int,) if {type(key) for key in field.choices} == {int} else types
    return types


def _type_error(field: serializers.Field, value: Any) -> str | None:
    if value is None:
        return None  # the field's own allow_null decides
    types = _json_types(field)
    if types is None:
        return None
    wrong = isinstance(value, bool) and bool not in types
    if wrong or not isinstance(value, types):
        return f"Expected {_EXPECTED[types]}."
    items = getattr(field, "child_relation", None) or getattr(field, "child", None)
    # Nested objects check themselves when their serializer runs.
    if isinstance(value, list) and isinstance(items, serializers.Field | ManyRelatedField):
        if isinstance(items, serializers.Serializer):
            return None
        for item in value:
            error = _type_error(items, item)
            if error:
                return f"Each item: {error[0].lower()}{error[1:]}"
    return None


class InputSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know (a misspelt "priorty" would
    otherwise be dropped without a word) and values of the wrong JSON type, before DRF coerces
    them. The schema says so: ``additionalProperties: false`` (``config.api.schema``)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            errors = {str(key): ["Unknown field."] for key in data if key not in self.fields}
            for name, field in self.fields.items():
                if not field.read_only and name in data:
                    error = _type_error(field, data[name])
                    if error:
                        errors[name] = [error]
            if errors:
                # Check the rest too, so that one answer names every invalid field.
                rest = {key: value for key, value in data.items() if key not in errors}
                try:
                    super().to_internal_value(rest)
                except serializers.ValidationError as exc:
                    if isinstance(exc.detail, dict):
                        for name, detail in exc.detail.items():
                            errors.setdefault(name, detail)
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number"},
            {"type": "string", "format": "decimal", "pattern": r"^-?\d{0,18}(?:\.\d{0,6})?$"},
        ]
    }
)
class NumberField(serializers.DecimalField):
    """A decimal figure given as a JSON number or as a string (exact: "3800000000.5")."""


def username_field(help_text: str = "") -> SlugRelatedField:
    """The user an object names, by username; null when there is none (the system acted, or
    the account is gone)."""
    return SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text=help_text or None
    )
