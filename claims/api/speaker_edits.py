"""An editor's corrections of speaker matching, under ``/api/v1/speakers/{id}/``: ``aliases/``
(list, add), ``aliases/{alias}/`` (remove) and ``merge/``, each one call to
``claims.services.speaker_edits``, whose refusals are 400s.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims import services
from claims.api.serializers import SpeakerSerializer
from claims.models import Speaker, SpeakerAlias
from config.api.fields import InputSerializer
from config.api.schema import error_responses


class SpeakerAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpeakerAlias
        fields = ["id", "key", "kind"]
        read_only_fields = fields


class AliasInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=200, help_text="A name the speaker goes by.")


class MergeInputSerializer(InputSerializer):
    others = serializers.PrimaryKeyRelatedField(
        queryset=Speaker.objects.all(),
        many=True,
        allow_empty=False,
        help_text="Ids of the speakers that are this one; they are merged into it and deleted.",
    )


class SpeakerEditsMixin:
    """The endpoints above, mixed into ``SpeakerViewSet``; writes are ``editor_actions``."""

    speaker_editor_actions = ("aliases_add", "alias_remove", "merge")

    @extend_schema(
        summary="Names a speaker is matched by", responses=SpeakerAliasSerializer(many=True)
    )
    @action(
        detail=True, methods=["get"], url_path="aliases", pagination_class=None, filter_backends=[]
    )
    def aliases(self, request: Request, pk: str | None = None) -> Response:
        speaker = self.get_object()
        return Response(SpeakerAliasSerializer(speaker.aliases.order_by("key"), many=True).data)

    @extend_schema(
        summary="Add a name a speaker goes by (editors)",
        request=AliasInputSerializer,
        responses={201: SpeakerAliasSerializer, **error_responses(400, 403)},
    )
    @aliases.mapping.post
    def aliases_add(self, request: Request, pk: str | None = None) -> Response:
        speaker = self.get_object()
        data = _valid(AliasInputSerializer, request)
        alias = services.speaker_alias_add(actor=request.user, speaker=speaker, name=data["name"])
        return Response(SpeakerAliasSerializer(alias).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Stop matching a name to a speaker (editors)",
        responses={204: None, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["delete"], url_path=r"aliases/(?P<alias_id>\d+)")
    def alias_remove(self, request: Request, pk: str | None = None, alias_id: str = "") -> Response:
        speaker = self.get_object()
        alias = get_object_or_404(SpeakerAlias, pk=int(alias_id), speaker=speaker)
        services.speaker_alias_remove(actor=request.user, alias=alias)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Merge speakers into this one (editors)",
        description="Their appearances, attributed statements and names move to this speaker, "
        "and they are deleted, in one transaction.",
        request=MergeInputSerializer,
        responses={200: SpeakerSerializer, **error_responses(400, 403)},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        speaker = self.get_object()
        data = _valid(MergeInputSerializer, request)
        kept = services.speakers_merge(actor=request.user, keep=speaker, others=data["others"])
        return Response(SpeakerSerializer(kept).data)


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
