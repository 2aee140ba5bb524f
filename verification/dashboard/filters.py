"""List filters the desk overview's links rely on, for the lists of claims and of the rows
that hang off a claim (assignments, reviews): a range of days on any date field, the claim's
topic, open assignments, and whether a review agrees with the verdict its claim was published
with. With these each figure on the overview opens on exactly the rows it counts.

They live here rather than in either app's ``admin`` package because both apps' admins use
them, and those packages import each other's modules (a filter module inside one would make
the import order matter).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Exists, F, Field, Model, Q, QuerySet
from django.http import HttpRequest

from claims.models import Claim, ClaimState, Topic
from verification.dashboard.aggregates import published_verdict
from verification.dashboard.scope import (
    ROW_LANGUAGE_PARAM,
    ROW_TOPIC_PARAM,
    date_q,
    parse_day,
    range_params,
    topic_q,
)
from verification.models import OPEN_ASSIGNMENT_STATES


class DateRangeFilter(admin.FieldListFilter):
    """Rows whose date falls on or between two days, both included, in the desk's time zone:
    ``?<field>__from=2025-03-01&<field>__to=2025-03-31`` (either end may be left out). Use it as
    ``("published_at", DateRangeFilter)``; a date that is not one shows the changelist's
    "invalid filter" page rather than an error."""

    def __init__(
        self,
        field: Field,
        request: HttpRequest,
        params: dict[str, list[str]],
        model: type[Model],
        model_admin: Any,
        field_path: str,
    ) -> None:
        self.param_from, self.param_to = range_params(field_path)
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = f"{self.title} between"

    def expected_parameters(self) -> list[str]:
        return [self.param_from, self.param_to]

    def _day(self, name: str) -> Any:
        values = self.used_parameters.get(name)
        if not values:
            return None
        try:
            return parse_day(values[-1])
        except ValueError as error:
            raise IncorrectLookupParameters(str(error)) from None

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        start, end = self._day(self.param_from), self._day(self.param_to)
        if start is None and end is None:
            return queryset
        return queryset.filter(date_q(self.field_path, start, end))

    def get_facet_counts(self, pk_attname: str, filtered_qs: QuerySet) -> dict:
        return {}  # a free range has no fixed choices to count

    def choices(self, changelist: Any) -> Iterator[dict[str, Any]]:
        names = self.expected_parameters()
        active = [self.used_parameters[name][-1] for name in names if name in self.used_parameters]
        yield {
            "selected": not active,
            "query_string": changelist.get_query_string(remove=names),
            "display": "Any date",
        }
        if active:
            start = self.used_parameters.get(self.param_from, ["…"])[-1]
            end = self.used_parameters.get(self.param_to, ["…"])[-1]
            yield {
                "selected": True,
                "query_string": changelist.get_query_string(),
                "display": f"{start} – {end}",
            }


class IdListFilter(admin.SimpleListFilter):
    """A choice per id (a topic, a speaker), its rows picked by :meth:`match`; a non-id: none."""

    def match(self, pk: int) -> Q | Exists:
        raise NotImplementedError

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        value = self.value()
        if value is None:
            return None
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(self.match(int(value)))


class ClaimTopicFilter(IdListFilter):
    """Rows (assignments, reviews) of claims with a topic."""

    title = "claim topic"
    parameter_name = ROW_TOPIC_PARAM

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        return list(Topic.objects.order_by("name").values_list("pk", "name"))

    def match(self, pk: int) -> Q:
        return topic_q(pk, claim_ref="claim_id")


class ClaimLanguageFilter(admin.SimpleListFilter):
    """Rows (assignments, reviews) of claims in a language (``Claim.language``)."""

    title = "claim language"
    parameter_name = ROW_LANGUAGE_PARAM

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(code, code) for code in claim_languages()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        value = self.value()
        return queryset.filter(claim__language=value) if value else None


def claim_languages() -> list[str]:
    """The languages claims are in, for the filters' choices (one query)."""
    return list(
        Claim.objects.exclude(language="")
        .order_by("language")
        .values_list("language", flat=True)
        .distinct()
    )


class YesNoFilter(admin.SimpleListFilter):
    """Two choices: the rows :meth:`match` picks ("yes") and the others ("no")."""

    labels: tuple[str, str]  # of "yes" and of "no"

    def match(self) -> Q | Exists:
        raise NotImplementedError

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(zip(("yes", "no"), self.labels, strict=True))

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        if self.value() == "yes":
            return queryset.filter(self.match())
        if self.value() == "no":
            return queryset.exclude(self.match())
        return None


class OpenAssignmentFilter(YesNoFilter):
    """Open assignments: offered or accepted, the ones that count against capacity."""

    title = "open"
    parameter_name = "open"
    labels = ("Open (offered or accepted)", "Closed")

    def match(self) -> Q:
        return Q(state__in=OPEN_ASSIGNMENT_STATES)


class ReviewVerdictAgreementFilter(admin.SimpleListFilter):
    """Reviews of the round a claim was published with, by whether their rating is the
    published verdict (the reviewers' agreement figure on the desk overview)."""

    title = "published verdict"
    parameter_name = "published_verdict"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("any", "Behind a published verdict"),
            ("agrees", "Agrees with it"),
            ("differs", "Differs from it"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        value = self.value()
        if value is None:
            return None
        if value not in ("any", "agrees", "differs"):
            return queryset.none()
        behind = queryset.filter(
            claim__state=ClaimState.PUBLISHED, review_round=F("claim__review_round")
        ).alias(published_verdict=published_verdict("claim__"))
        if value == "agrees":
            return behind.filter(rating=F("published_verdict"))
        if value == "differs":
            return behind.exclude(rating=F("published_verdict"))
        return behind
