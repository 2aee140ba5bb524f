"""Token authentication in one fixed query that also reads the caller's roles.

DRF's ``TokenAuthentication`` builds and compiles an ORM query for the token and its user on
every request, and the desk's permission check then reads the user's groups
(``verification.roles.has_role``): two round trips, and the ORM's query building was half the
CPU of a cached claim list answer (``bench/``). On PostgreSQL this reads the token, its user
and the names of the user's groups (an array) with one SQL statement written once per process
from the models' metadata, and builds the two objects with ``Model.from_db``; the group names
are left on the user, where ``has_role`` looks first. The same statement reads the database's
snapshot, which the claim list's cache keys on (``config.api.list_cache``), saving it a round
trip. Elsewhere it is DRF's own code. The
errors are DRF's ("Invalid token.", "User inactive or deleted.").
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections, router
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from config.api.list_cache import SNAPSHOT_SQL


@functools.cache
def token_statement(token_model: type, alias: str) -> tuple[str, list[str], list[str]]:
    """The SQL, and the attribute names of the token's and the user's columns it returns."""
    quote = connections[alias].ops.quote_name
    user_model = get_user_model()
    memberships = user_model.groups.through
    token_fields = [f.attname for f in token_model._meta.concrete_fields]
    user_fields = [f.attname for f in user_model._meta.concrete_fields]
    token_table, user_table = quote(token_model._meta.db_table), quote(user_model._meta.db_table)
    columns = [f"t.{quote(f.column)}" for f in token_model._meta.concrete_fields] + [
        f"u.{quote(f.column)}" for f in user_model._meta.concrete_fields
    ]
    user_pk = quote(user_model._meta.pk.column)
    membership_group = quote(memberships._meta.get_field("group").column)
    membership_user = quote(memberships._meta.get_field("user").column)
    roles = (
        f"ARRAY(SELECT g.{quote(Group._meta.get_field('name').column)} "
        f"FROM {quote(Group._meta.db_table)} g "
        f"JOIN {quote(memberships._meta.db_table)} m "
        f"ON m.{membership_group} = g.{quote(Group._meta.pk.column)} "
        f"WHERE m.{membership_user} = u.{user_pk})"
    )
    user_link = token_model._meta.get_field("user").column
    sql = (
        f"SELECT {', '.join(columns)}, {roles}, {SNAPSHOT_SQL} "
        f"FROM {token_table} t "
        f"JOIN {user_table} u ON u.{user_pk} = t.{quote(user_link)} "
        f"WHERE t.{quote(token_model._meta.pk.column)} = %s"
    )
    return sql, token_fields, user_fields


class DeskTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        model = self.get_model()
        alias = router.db_for_read(model)
        if connections[alias].vendor != "postgresql":
            return super().authenticate_credentials(key)
        sql, token_fields, user_fields = token_statement(model, alias)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        split = len(token_fields)
        token = model.from_db(alias, token_fields, row[:split])
        user = get_user_model().from_db(alias, user_fields, row[split:-2])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token.user = user
        user._role_names = set(row[-2])
        if not connections[alias].in_atomic_block:
            # Read in the same statement, for the list cache (config.api.list_cache): a
            # snapshot taken before any of the request's reads, outside a transaction.
            token.database_snapshot = (alias, row[-1])
        return (user, token)
