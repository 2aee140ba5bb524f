"""The overview page's sections: each figure with its text and the changelist behind it.

The figures come from :mod:`~verification.dashboard.desk`,
:mod:`~verification.dashboard.reviewers` and :mod:`~verification.dashboard.verdicts`; the
filters from the :class:`~verification.dashboard.scope.DeskScope`, which gives both the
queryset filters and the links' parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from claims.models import Claim, ClaimState
from verification.dashboard import charts, desk, reviewers, verdicts
from verification.dashboard.calibration import calibration_url
from verification.dashboard.forms import OverviewFilterForm
from verification.dashboard.links import (
    assignments_url,
    change_url,
    claims_url,
    ordering_params,
    reviews_url,
)
from verification.dashboard.scope import DeskScope, range_params
from verification.models import AssignmentState


def duration_text(seconds: float | None) -> str:
    """A span as people read it: "45 min", "7 h", "3.5 d"; a dash for no figure."""
    if seconds is None:
        return "—"
    if seconds < 3600:
        return f"{max(0, round(seconds / 60))} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.1f} d"


def share_text(part: int, whole: int) -> str:
    return "—" if not whole else f"{part} of {whole} ({100 * part / whole:.0f} %)"


def alpha_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class Figure:
    """A number on the page and the list that shows the rows it counts."""

    text: str
    url: str = ""


# --- Claims by state and the backlog -------------------------------------------------------


def state_section(request: HttpRequest, scope: DeskScope) -> dict[str, Any]:
    base = scope.claim_params(dated_by=desk.CLAIMS_DATED_BY)
    oldest_first = ordering_params(request, Claim, "created_at")
    rows = []
    for figure in desk.claims_by_state(scope):
        params = base | {"state__exact": figure.state.value}
        rows.append(
            {
                "figure": figure,
                "label": figure.state.label,
                "count": Figure(str(figure.count), claims_url(params)),
                "oldest": Figure(
                    duration_text(figure.oldest_age), claims_url(params | oldest_first)
                ),
                "median": duration_text(figure.median_age),
            }
        )
    waiting = [row for row in rows if row["figure"].is_waiting]
    chart = charts.bar_chart(
        chart_id="chart-states",
        title="Claims by state",
        description="Number of claims in each workflow state; the table below gives the same "
        "numbers with the age of the backlog.",
        items=[
            charts.ChartItem(label=row["label"], value=row["figure"].count, url=row["count"].url)
            for row in rows
        ],
    )
    return {
        "rows": rows,
        "chart": chart,
        "backlog": Figure(
            str(sum(row["figure"].count for row in waiting)),
            claims_url(base | {"state__in": ",".join(desk.WAITING_STATES)}),
        ),
        "total": Figure(str(sum(row["figure"].count for row in rows)), claims_url(base)),
    }


def overdue_section(scope: DeskScope) -> dict[str, Any]:
    figure = desk.overdue_work(scope)
    params = scope.row_params(dated_by=None)
    return {
        "open": Figure(str(figure.open_assignments), assignments_url(params | {"open": "yes"})),
        "overdue": Figure(
            str(figure.overdue_assignments), assignments_url(params | {"overdue": "yes"})
        ),
        "claims": Figure(
            str(figure.claims_with_overdue_work),
            claims_url(scope.claim_params(dated_by=None) | {"overdue": "yes"}),
        ),
        "rows": [
            {
                "assignment": assignment,
                "url": change_url(assignment),
                "claim_url": change_url(assignment.claim),
                "late_by": duration_text((scope.now - assignment.due_at).total_seconds()),
            }
            for assignment in figure.most_late
        ],
    }


def signoff_section(scope: DeskScope, states: dict[str, Any]) -> dict[str, Any]:
    in_review = next(r for r in states["rows"] if r["figure"].state == ClaimState.IN_REVIEW)
    return {
        "count": in_review["count"],
        "rows": [
            {
                "claim": claim,
                "url": change_url(claim),
                "waiting": duration_text((scope.now - claim.waiting_since).total_seconds()),
            }
            for claim in desk.signoff_queue(scope)
        ],
    }


def agreement_section(scope: DeskScope) -> dict[str, Any]:
    figure = desk.desk_agreement(scope)
    return {
        "desk": Figure(alpha_text(figure.desk), claims_url({})),
        "in_scope": Figure(
            alpha_text(figure.in_scope),
            claims_url(scope.claim_params(dated_by=desk.CLAIMS_DATED_BY)),
        ),
        "filtered": figure.filtered,
    }


# --- Reviewers -----------------------------------------------------------------------------


def reviewer_rows(scope: DeskScope, figures: list[reviewers.ReviewerFigure]) -> list[dict]:
    turnaround_params = scope.row_params(dated_by=reviewers.TURNAROUND_DATED_BY)
    agreement_params = scope.row_params(dated_by=reviewers.AGREEMENT_DATED_BY)
    rows = []
    for figure in figures:
        who = {"reviewer__id__exact": str(figure.user.pk)}
        rows.append(
            {
                "figure": figure,
                "name": figure.user.get_full_name() or figure.user.get_username(),
                "open": Figure(
                    f"{figure.open_assignments} / {figure.capacity}",
                    assignments_url(who | {"open": "yes"}),
                ),
                "overdue": Figure(
                    str(figure.overdue_assignments), assignments_url(who | {"overdue": "yes"})
                ),
                "turnaround": Figure(
                    duration_text(figure.turnaround),
                    assignments_url(
                        turnaround_params | who | {"state__exact": AssignmentState.SUBMITTED}
                    ),
                ),
                "submitted": figure.reviews_submitted,
                "agreement": Figure(
                    share_text(figure.reviews_agreeing, figure.reviews_behind_verdicts),
                    reviews_url(agreement_params | who | {"published_verdict": "agrees"}),
                ),
                "behind_url": reviews_url(agreement_params | who | {"published_verdict": "any"}),
                "calibration_url": calibration_url(figure.user.pk),
            }
        )
    return rows


def reviewer_section(scope: DeskScope) -> dict[str, Any]:
    rows = reviewer_rows(scope, reviewers.reviewer_figures(scope))
    chart = charts.bar_chart(
        chart_id="chart-load",
        title="Reviewer load",
        description="Open assignments of each reviewer; the mark across each bar is their "
        "capacity. The table below gives the same numbers.",
        items=[
            charts.ChartItem(
                label=row["name"],
                value=row["figure"].open_assignments,
                url=row["open"].url,
                value_text=row["open"].text,
                limit=row["figure"].capacity,
            )
            for row in rows
        ],
    )
    return {"rows": rows, "chart": chart, "calibration_url": calibration_url()}


# --- Verdicts ------------------------------------------------------------------------------


def week_label(monday: dt.date) -> str:
    return date_format(monday, "j M")


def verdict_section(scope: DeskScope) -> dict[str, Any]:
    published = scope.claim_params(dated_by=verdicts.VERDICTS_DATED_BY) | {
        "state__exact": ClaimState.PUBLISHED
    }
    weekly = verdicts.verdicts_by_week(scope)
    week_rows = []
    name_from, name_to = range_params(verdicts.VERDICTS_DATED_BY)
    for week in weekly.weeks:
        # The week, cut to the range where the range starts or ends inside it.
        first = max(week.monday, scope.start) if scope.start else week.monday
        last = min(week.sunday, scope.end) if scope.end else week.sunday
        params = published | {name_from: first.isoformat(), name_to: last.isoformat()}
        week_rows.append(
            {
                "week": week,
                "label": f"Week of {date_format(week.monday, 'j M Y')}",
                "count": Figure(str(week.count), claims_url(params)),
            }
        )
    weekly_chart = charts.column_chart(
        chart_id="chart-weekly",
        title="Verdicts published per week",
        description="Number of claims published in each week, Monday to Sunday; the table "
        "“Verdicts per week” gives the same numbers.",
        items=[
            charts.ChartItem(label=r["label"], value=r["week"].count, url=r["count"].url)
            for r in week_rows
        ],
        axis_labels=[week_label(r["week"].monday) for r in week_rows],
    )
    by_rating = verdicts.verdicts_by_rating(scope)
    rating_rows = [
        {
            "rating": rating,
            "value": count,
            "count": Figure(str(count), claims_url(published | {"verdict": rating.value})),
        }
        for rating, count in by_rating.items()
    ]
    rating_chart = charts.bar_chart(
        chart_id="chart-ratings",
        title="Published verdicts by rating",
        description="Number of published claims with each verdict; the table beside it gives "
        "the same numbers.",
        items=[
            charts.ChartItem(label=r["rating"].label, value=r["value"], url=r["count"].url)
            for r in rating_rows
        ],
    )
    span = verdicts.triage_to_publication(scope)
    return {
        "published": Figure(str(sum(by_rating.values())), claims_url(published)),
        "weeks": week_rows,
        "weekly_chart": weekly_chart,
        "weeks_left_out": weekly.earlier_weeks_left_out,
        "ratings": rating_rows,
        "rating_chart": rating_chart,
        "triage_to_publication": Figure(
            duration_text(span.seconds if span else None), claims_url(published)
        ),
        "triage_to_publication_count": span.count if span else 0,
    }


# --- The pages -----------------------------------------------------------------------------


def desk_overview(request: HttpRequest, form: OverviewFilterForm) -> dict[str, Any]:
    """Every section of the editors' overview, for the filters ``form`` selects."""
    scope = form.scope(now=timezone.now())
    states = state_section(request, scope)
    return {
        "form": form,
        "scope": scope,
        "states": states,
        "overdue": overdue_section(scope),
        "signoff": signoff_section(scope, states),
        "agreement": agreement_section(scope),
        "reviewers": reviewer_section(scope),
        "verdicts": verdict_section(scope),
    }


def reviewer_overview(request: HttpRequest) -> dict[str, Any]:
    """A reviewer's own figures, over all their work (no filters)."""
    scope = DeskScope(now=timezone.now())
    figures = reviewers.reviewer_figures(scope, reviewer_id=request.user.pk)
    return {"rows": reviewer_rows(scope, figures), "my_work_url": my_work_url()}


def my_work_url() -> str:
    """The reviewer's "My work" screen, when the admin has one."""
    try:
        return reverse("admin:verification_assignment_mine")
    except NoReverseMatch:
        return ""
