"""What the history rows' ids stand for (users, sources, speakers), and how a value reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import Truncator

from claims.models import Claim, Source, Speaker
from verification.timeline.entries import TRACKED, Change


class Names:
    """What the history rows' ids stand for (users, sources, speakers), read once."""

    def __init__(
        self, users: dict[int, str], sources: dict[int, str], speakers: dict[int, str]
    ) -> None:
        self._users, self._sources, self._speakers = users, sources, speakers

    @classmethod
    def of(cls, history: dict[str, list[Any]]) -> Names:
        user_model = get_user_model()
        ids: dict[type[models.Model], set[int]] = defaultdict(set)
        for name, records in history.items():
            spec = TRACKED[name]
            relations = [
                f for f in (spec.model._meta.get_field(n) for n in spec.fields) if f.is_relation
            ]
            for record in records:
                if record.history_user_id is not None:
                    ids[user_model].add(record.history_user_id)
                for relation in relations:
                    value = getattr(record, relation.attname)
                    if value is not None:
                        ids[relation.related_model].add(value)
        users = dict(
            user_model.objects.filter(pk__in=ids[user_model]).values_list(
                "pk", user_model.USERNAME_FIELD
            )
        )
        sources = dict(Source.objects.filter(pk__in=ids[Source]).values_list("pk", "title"))
        speakers = {s.pk: str(s) for s in Speaker.objects.filter(pk__in=ids[Speaker])}
        return cls(users, sources, speakers)

    def user(self, pk: int | None) -> str:
        return self._users.get(pk, f"user #{pk}") if pk is not None else ""

    def source(self, pk: int | None) -> str:
        return Truncator(self._sources.get(pk, f"source #{pk}")).chars(60)

    def change(self, model: type[models.Model], name: str, old: Any, new: Any) -> Change:
        model_field = model._meta.get_field(name)
        return Change(
            str(model_field.verbose_name),
            self.value(model_field, old),
            self.value(model_field, new),
        )

    def value(self, model_field: models.Field, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if model_field.is_relation:
            related = model_field.related_model
            if related is Source:
                return self.source(value)
            if related is Speaker:
                return self._speakers.get(value, f"speaker #{value}")
            if related is Claim:
                return f"claim #{value}"
            return self.user(value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, dt.datetime):
            return localize(timezone.localtime(value))
        if isinstance(value, float):
            return f"{value:.2f}"
        return Truncator(str(value)).chars(160)
