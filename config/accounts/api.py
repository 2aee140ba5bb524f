"""/api/v1/tokens/: the API's door to ``config.accounts.tokens``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from config.accounts.models import ApiToken
from config.accounts.tokens import api_token_create, api_token_revoke, api_tokens_visible


class ApiTokenSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="token_key", read_only=True)
    user = serializers.CharField(source="user.get_username", read_only=True)
    expired = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "user", "created", "expiry", "expired"]
        read_only_fields = fields

    def get_expired(self, token: ApiToken) -> bool:
        return token.expiry is not None and token.expiry <= timezone.now()


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="What will use the token.")
    expires_in_days = serializers.IntegerField(
        required=False, help_text="Days until it stops working (default API_TOKEN_DAYS)."
    )
    user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.all(),
        required=False,
        help_text="Whose token (administrators only; yourself by default).",
    )


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown this once; it is kept hashed.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your API tokens (every token, for an administrator). The key of a token is shown only in
    the answer that makes it; afterwards a token is named by its ``id``, its first characters."""

    serializer_class = ApiTokenSerializer
    lookup_field = "token_key"
    lookup_url_kwarg = "id"
    filterset_fields = {"user__username": ["exact"]}

    def get_queryset(self):
        return api_tokens_visible(self.request.user)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ApiTokenCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        token, key = api_token_create(
            actor=request.user,
            owner=given.validated_data.get("user"),
            name=given.validated_data["name"],
            days=given.validated_data.get("expires_in_days"),
            request=request,
        )
        token.key = key
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ApiToken) -> None:
        api_token_revoke(actor=self.request.user, token=instance, request=self.request)
