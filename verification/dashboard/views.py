"""What the admin's start page shows, by role: editors the desk overview, reviewers their own
figures (other reviewers' load and verdicts are none of theirs), anyone else Django's index.
:class:`config.admin.DeskAdminSite` puts this context into its ``index`` view.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from claims.roles import is_editor, is_reviewer
from verification.dashboard.context import desk_overview, reviewer_overview
from verification.dashboard.forms import OverviewFilterForm


def index_context(request: HttpRequest) -> dict[str, Any]:
    if is_editor(request.user):
        form = OverviewFilterForm(request.GET or None)
        return {"title": "Desk overview", "overview": desk_overview(request, form)}
    if is_reviewer(request.user):
        return {"my_figures": reviewer_overview(request)}
    return {}
