"""Token authentication that reads the caller's roles in the same query as the token.

DRF's ``TokenAuthentication`` reads the token and its user; the desk's permission check then
reads the user's groups (``verification.roles.has_role``), a second round trip on every API
request. On PostgreSQL the group names come back with the token as an array, and are left on
the user where ``has_role`` looks first. Elsewhere it is DRF's own query, and ``has_role`` reads
the groups itself. Errors are DRF's ("Invalid token.", "User inactive or deleted.").
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, router
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class DeskTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        model = self.get_model()
        if connections[router.db_for_read(model)].vendor != "postgresql":
            return super().authenticate_credentials(key)
        role_names = Group.objects.filter(user=OuterRef("user_id")).values("name")
        try:
            token = (
                model.objects.select_related("user")
                .annotate(user_role_names=ArraySubquery(role_names))
                .get(key=key)
            )
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token.user._role_names = set(token.user_role_names)
        return (token.user, token)
