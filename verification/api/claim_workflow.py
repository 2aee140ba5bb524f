"""The claim's workflow moves as endpoints, POST /api/v1/claims/{id}/<move>/ (editors): each one
call to its service, which answers 409 with its reason for an illegal move; an optional If-Match
(412 if the claim changed since it was read)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims.models import Rating
from config.api.fields import InputSerializer
from config.api.schema import error_responses
from verification import services
from verification.api.claim_serializers import ClaimSerializer
from verification.api.moves import MoveEndpointMixin
from verification.api.serializers import AssignmentSerializer
from verification.models import Assignment


class NoteSerializer(InputSerializer):
    note = serializers.CharField(allow_blank=True, default="", help_text="Optional.")


class RequiredNoteSerializer(InputSerializer):
    note = serializers.CharField(help_text="What is missing (required).")


class ReasonSerializer(InputSerializer):
    reason = serializers.CharField(help_text="Why (required).")


class PublishSerializer(InputSerializer):
    """What an editor signs off: the rating (the consensus unless given), a summary for
    readers, and a note (required when the rating is not the consensus)."""

    rating = serializers.ChoiceField(
        choices=Rating.choices,
        allow_null=True,
        default=None,
        help_text="The published rating; defaults to the reviewers' consensus. Another rating "
        "needs a note saying why, and a firm rating needs evidence on the claim.",
    )
    summary = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="The verdict explained for readers, published as ClaimReview's reviewBody. "
        "Optional here (the admin's sign-off screen requires it).",
    )
    note = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="For the record; required when the rating is not the consensus.",
    )
    correction_note = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="Required when the claim's verdict is already public (it was reopened): the "
        "public note of the correction this sign-off makes.",
    )


class CorrectSerializer(InputSerializer):
    """A correction of a published verdict: a new rating, a new summary or both."""

    rating = serializers.ChoiceField(
        choices=Rating.choices,
        allow_null=True,
        default=None,
        help_text="The corrected rating; the published one stays when not given. A change of "
        "rating is an independent editor's (one who did not review the claim), and a firm "
        "rating needs evidence.",
    )
    summary = serializers.CharField(
        allow_null=True,
        default=None,
        help_text="The corrected summary for readers; the published one stays when not given.",
    )
    note = serializers.CharField(
        help_text="The public note shown with the correction: what changed and why (required)."
    )


class UpdateVerdictSerializer(InputSerializer):
    summary = serializers.CharField(help_text="The summary with its wording or links fixed.")
    note = serializers.CharField(help_text="The public note shown with the update (required).")


class WithdrawVerdictSerializer(InputSerializer):
    note = serializers.CharField(
        help_text="The public note shown on the withdrawn fact check's page (required)."
    )


class AssignInputSerializer(InputSerializer):
    reviewer = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), help_text="User id of a reviewer."
    )
    due_at = serializers.DateTimeField(
        allow_null=True,
        default=None,
        help_text="Defaults to now plus the turnaround of the claim's priority.",
    )
    note = serializers.CharField(allow_blank=True, default="")


def _move_schema(summary: str, request: type, description: str) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: ClaimSerializer, **error_responses(409)},
    )


class ClaimWorkflowMixin(MoveEndpointMixin):
    """The move endpoints of ``verification.api.claim_views.ClaimViewSet``."""

    move_target = "claim"
    workflow_actions = (
        "triage",
        "dismiss",
        "restore",
        "assign",
        "send_back",
        "publish",
        "reopen",
        "correct",
        "update_verdict",
        "withdraw",
    )

    @_move_schema("Triage a new claim", NoteSerializer, "new → triaged; queued for reviewers.")
    @action(detail=True, methods=["post"])
    def triage(self, request: Request, pk: str | None = None) -> Response:
        return self._moved(self._service_move(request, NoteSerializer, services.claim_triage))

    @_move_schema("Dismiss a new claim", ReasonSerializer, "new → dismissed, with a reason.")
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        return self._moved(self._service_move(request, ReasonSerializer, services.claim_dismiss))

    @_move_schema("Restore a dismissed claim", NoteSerializer, "dismissed → new.")
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        return self._moved(self._service_move(request, NoteSerializer, services.claim_restore))

    @extend_schema(
        summary="Assign a reviewer",
        description="Offer a triaged claim, or one in research, to a reviewer the editor picks "
        "(the first assignment starts research). Refused for the claim's submitter, a reviewer "
        "who is away, or who already has it (400), and when the round is full (409).",
        request=AssignInputSerializer,
        responses={201: AssignmentSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        assignment = self._service_move(request, AssignInputSerializer, services.assignment_create)
        assignment = Assignment.objects.select_related("claim", "reviewer", "assigned_by").get(
            pk=assignment.pk
        )
        data = AssignmentSerializer(assignment, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @_move_schema(
        "Send a claim back to research",
        RequiredNoteSerializer,
        "in review → in research, with a note; a new review round starts and the last "
        "round's reviewers are offered the claim again.",
    )
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: str | None = None) -> Response:
        claim = self._service_move(request, RequiredNoteSerializer, services.claim_send_back)
        return self._moved(claim)

    @_move_schema(
        "Sign off and publish",
        PublishSerializer,
        "in review → published, by an editor who did not review the claim; it is then "
        "read-only until reopened. The published rating is the consensus unless `rating` says "
        "otherwise (then `note` must say why: 400 without one); `summary` becomes the "
        "ClaimReview's reviewBody.",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        return self._moved(self._service_move(request, PublishSerializer, services.claim_publish))

    @_move_schema(
        "Reopen a published claim",
        ReasonSerializer,
        "published → in research, with a reason; a new review round starts.",
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        return self._moved(self._service_move(request, ReasonSerializer, services.claim_reopen))

    @_move_schema(
        "Correct a published verdict",
        CorrectSerializer,
        "A new rating, a new summary or both for a published claim, with a public note. The "
        "public page and the ClaimReview keep the current verdict and list the earlier one "
        "with the note; the claim's reviewers are told by email.",
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        correction = self._service_move(request, CorrectSerializer, services.claim_correct)
        return self._moved(correction.claim)

    @_move_schema(
        "Update a published summary",
        UpdateVerdictSerializer,
        "A minor fix (a typo, a link) of a published claim's summary; the rating stays. The "
        "page lists it as an update, with the public note.",
    )
    @action(detail=True, methods=["post"], url_path="update-verdict")
    def update_verdict(self, request: Request, pk: str | None = None) -> Response:
        correction = self._service_move(request, UpdateVerdictSerializer, services.claim_update)
        return self._moved(correction.claim)

    @_move_schema(
        "Withdraw a published fact check",
        WithdrawVerdictSerializer,
        "published → dismissed, with a public note: the fact-check page keeps the notice and "
        "the earlier verdict (410 Gone), and the ClaimReview feed drops it.",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        correction = self._service_move(request, WithdrawVerdictSerializer, services.claim_retract)
        return self._moved(correction.claim)
