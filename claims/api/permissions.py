"""Who may call what, by role (``claims.roles``); the services check again. Anonymous callers
get 401, outsiders 403; desk members read, and each view names its editors-only actions in
``editor_actions``."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from claims.roles import is_desk_member, is_editor


class IsDeskMember(BasePermission):
    """Signed in and a reviewer or an editor. The API's default permission."""

    message = "Only reviewers and editors may use the desk's API."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_desk_member(request.user)


class EditorActions(BasePermission):
    """Editors only, for the view's actions named in ``editor_actions``."""

    message = "Only an editor may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "action", None) in getattr(view, "editor_actions", ()):
            return is_editor(request.user)
        return True


class IsEditor(BasePermission):
    """Editors only, for every action of the view."""

    message = "Only an editor may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_editor(request.user)
