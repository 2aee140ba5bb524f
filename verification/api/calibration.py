"""/api/v1/calibration/ (the desk's, editors) and /api/v1/reviewers/{id}/calibration/: the
figures of :mod:`verification.calibration`, as ``may_read_calibration`` allows, for the
dashboard's period form (a bad day is a 400 here)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from claims.api.permissions import IsDeskMember
from config.api.schema import error_responses
from verification.calibration import (
    RATINGS,
    Calibration,
    CalibrationPeriod,
    calibration,
    may_read_calibration,
)
from verification.dashboard.forms import CalibrationPeriodForm


class PeriodSerializer(serializers.Serializer):
    since = serializers.DateField(help_text="First day of publication included.")
    until = serializers.DateField(help_text="Last day of publication included.")
    dated_by = serializers.SerializerMethodField(help_text="What the days are days of.")

    def get_dated_by(self, period: CalibrationPeriod) -> str:
        return "claim_published_at"


class ComparisonSerializer(serializers.Serializer):
    claims = serializers.IntegerField(help_text="Claims behind agreement and the matrix.")
    pairs = serializers.IntegerField(help_text="Pairs compared (a rating and a reference).")
    withheld = serializers.BooleanField(help_text="Fewer claims than min_claims: no figure.")
    agreeing = serializers.IntegerField(allow_null=True, help_text="Pairs with equal ratings.")
    agreement = serializers.FloatField(allow_null=True, help_text="agreeing / pairs.")
    alpha_claims = serializers.IntegerField(
        help_text="Claims with a pair on the five-point scale, behind alpha."
    )
    alpha_withheld = serializers.BooleanField()
    alpha = serializers.FloatField(
        allow_null=True, help_text="Krippendorff's ordinal alpha over the five-point pairs."
    )
    matrix = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        allow_null=True,
        help_text="Confusion matrix: rating given → reference rating → pairs. Keys: "
        + ", ".join(RATINGS)
        + ".",
    )


class ReliabilitySerializer(serializers.Serializer):
    confidence = serializers.CharField()
    band = serializers.ListField(child=serializers.FloatField(), help_text="[low, high].")
    claims = serializers.IntegerField()
    reviews = serializers.IntegerField()
    withheld = serializers.BooleanField()
    upheld = serializers.IntegerField(
        allow_null=True, help_text="Reviews whose rating is the published verdict."
    )
    upheld_share = serializers.FloatField(allow_null=True)
    within_one_share = serializers.FloatField(
        allow_null=True,
        help_text="Of the reviews with both ratings on the five-point scale, the share at "
        "most one step from the verdict.",
    )
    reading = serializers.CharField(
        help_text='"as stated", "over-confident", "under-confident", or "" when withheld.'
    )


class CalibrationSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(source="reviewer_id", allow_null=True)
    period = PeriodSerializer()
    min_claims = serializers.IntegerField()
    reviews = serializers.IntegerField()
    against_desk = ComparisonSerializer()
    against_others = ComparisonSerializer()
    verdicts_against_others = ComparisonSerializer(
        allow_null=True, help_text="The desk only: its published verdicts against the others'."
    )
    reliability = ReliabilitySerializer(many=True)


# --- Views ---------------------------------------------------------------------------------

PERIOD_PARAMETERS = [
    OpenApiParameter(
        name,
        OpenApiTypes.DATE,
        description=f"{text} day of the claims' publication (YYYY-MM-DD); both blank: "
        "the last 365 days.",
    )
    for name, text in (("since", "First"), ("until", "Last"))
]


def period_from(request: Request) -> CalibrationPeriod:
    """The query string's period, or a 400 saying what is wrong. A day sent empty is an error,
    as an empty filter is everywhere in the API."""
    empty = [
        n
        for n in ("since", "until")
        if n in request.query_params and not request.query_params[n].strip()
    ]
    if empty:
        raise ValidationError(
            {n: ["Give a day as YYYY-MM-DD, or leave the parameter out."] for n in empty}
        )
    form = CalibrationPeriodForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name: list(errors)
                for name, errors in form.errors.items()
            }
        )
    return form.period()


def answer(request: Request, *, reviewer_id: int | None) -> Response:
    if not may_read_calibration(request.user, reviewer_id=reviewer_id):
        raise PermissionDenied(
            "Only an editor may read the desk's calibration."
            if reviewer_id is None
            else "A reviewer may read only their own calibration."
        )
    if reviewer_id is not None:
        people = get_user_model().objects.filter(pk=reviewer_id, reviewer_profile__isnull=False)
        if not people.exists():
            raise NotFound(f"No reviewer #{reviewer_id}.")
    figures: Calibration = calibration(period_from(request), reviewer_id=reviewer_id)
    return Response(CalibrationSerializer(figures).data)


class DeskCalibrationView(APIView):
    """The whole desk's calibration (editors)."""

    permission_classes = [IsDeskMember]

    @extend_schema(
        summary="The desk's calibration",
        parameters=PERIOD_PARAMETERS,
        responses={200: CalibrationSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        return answer(request, reviewer_id=None)


class ReviewerCalibrationView(APIView):
    """One reviewer's calibration: editors any reviewer's, a reviewer their own."""

    permission_classes = [IsDeskMember]

    @extend_schema(
        summary="A reviewer's calibration",
        parameters=PERIOD_PARAMETERS,
        responses={200: CalibrationSerializer, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request, reviewer_id: int) -> Response:
        return answer(request, reviewer_id=reviewer_id)
