"""What the admin's start page shows, by role.

- **Editors** (and administrators) get the desk overview: every figure, filtered by the GET
  form, each linking to the list behind it.
- **Reviewers** get their own figures (load against capacity, overdue work, turnaround,
  agreement with the published verdicts) above the usual list of models. The desk-wide figures
  are editors' business, and other reviewers' load and verdicts are none of a reviewer's
  (the assignment list shows a reviewer only their own, for the same reason).
- Anyone else with admin access gets Django's plain index.

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
