"""The calibration pages of the dashboard: a reviewer's (``/admin/calibration/<id>/``) and the
desk's (``/admin/calibration/``), for the period the GET form chooses.

The figures are :mod:`verification.calibration`'s; who may open which page is its
:func:`~verification.calibration.may_read_calibration` (editors every page, a reviewer only
their own), the same rule the API asks. :class:`config.admin.DeskAdminSite` routes here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from claims.models import Rating
from verification.calibration import (
    RATINGS,
    Calibration,
    Comparison,
    ReliabilityRow,
    calibration,
    may_read_calibration,
)
from verification.dashboard.forms import CalibrationPeriodForm

RATING_LABELS = dict(Rating.choices)


def withheld_text(claims: int) -> str:
    return f"too few claims ({claims})"


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def comparison_context(figure: Comparison, *, title: str, rows_are: str, columns_are: str) -> dict:
    """One comparison's texts: every figure, or why it is withheld."""
    alpha = "—"
    if figure.alpha_withheld:
        alpha = withheld_text(figure.alpha_claims)
    elif figure.alpha is not None:
        alpha = f"{figure.alpha:.2f}"
    matrix = []
    if figure.matrix is not None:
        matrix = [
            {
                "label": RATING_LABELS[row],
                "cells": [
                    {"count": figure.matrix[row][column], "diagonal": row == column}
                    for column in RATINGS
                ],
                "total": sum(figure.matrix[row].values()),
            }
            for row in RATINGS
        ]
    return {
        "title": title,
        "rows_are": rows_are,
        "columns_are": columns_are,
        "figure": figure,
        "withheld": withheld_text(figure.claims) if figure.withheld else "",
        "agreement": (
            f"{figure.agreeing} of {figure.pairs} ({percent_text(figure.agreement)})"
            if figure.agreeing is not None
            else ""
        ),
        "alpha": alpha,
        "matrix": matrix,
        "column_labels": [RATING_LABELS[column] for column in RATINGS],
    }


def reliability_context(row: ReliabilityRow) -> dict:
    low, high = row.band
    return {
        "row": row,
        "label": row.confidence.label,
        "band": f"{100 * low:.0f}–{100 * high:.0f} %",
        "withheld": withheld_text(row.claims) if row.withheld else "",
        "upheld": (
            f"{row.upheld} of {row.reviews} ({percent_text(row.upheld_share)})"
            if row.upheld is not None
            else ""
        ),
        "within_one": percent_text(row.within_one_share),
    }


def calibration_context(figures: Calibration, *, whose: str) -> dict[str, Any]:
    """Every section of a calibration page (``whose``: "Their" for a reviewer, "The desk's")."""
    comparisons = [
        comparison_context(
            figures.against_desk,
            title=f"{whose} ratings against the desk's published verdicts",
            rows_are="rating given",
            columns_are="published verdict",
        ),
        comparison_context(
            figures.against_others,
            title=f"{whose} ratings against other fact-checkers' verdicts",
            rows_are="rating given",
            columns_are="other fact-checker's verdict",
        ),
    ]
    if figures.verdicts_against_others is not None:
        comparisons.append(
            comparison_context(
                figures.verdicts_against_others,
                title="The desk's published verdicts against other fact-checkers' verdicts",
                rows_are="published verdict",
                columns_are="other fact-checker's verdict",
            )
        )
    for number, section in enumerate(comparisons, start=1):
        section["id"] = f"calibration-{number}"
    return {
        "figures": figures,
        "comparisons": comparisons,
        "reliability": [reliability_context(row) for row in figures.reliability],
    }


def calibration_page(request: HttpRequest, *, reviewer_id: int | None) -> TemplateResponse:
    """A reviewer's calibration page (``reviewer_id``) or the desk's (None).

    1. Refuse (403) anyone :func:`may_read_calibration` does not let read it;
    2. find the reviewer (404 for a person without a reviewer profile);
    3. read the period from the GET form (the default period when it is blank or wrong, with
       the form's errors shown) and compute the figures.
    """
    if not may_read_calibration(request.user, reviewer_id=reviewer_id):
        raise PermissionDenied(
            "Only an editor may read the desk's calibration."
            if reviewer_id is None
            else "A reviewer may read only their own calibration."
        )
    reviewer = None
    if reviewer_id is not None:
        reviewer = (
            get_user_model().objects.filter(pk=reviewer_id, reviewer_profile__isnull=False).first()
        )
        if reviewer is None:
            raise Http404(f"No reviewer #{reviewer_id}.")
    form = CalibrationPeriodForm(request.GET or None)
    figures = calibration(form.period(), reviewer_id=reviewer_id)
    name = reviewer.get_full_name() or reviewer.get_username() if reviewer else ""
    context = {
        **admin.site.each_context(request),
        "title": f"Calibration: {name}" if reviewer else "Calibration: the desk",
        "reviewer": reviewer,
        "form": form,
        "desk_url": calibration_url(),
        "show_desk_link": may_read_calibration(request.user, reviewer_id=None),
        "c": calibration_context(figures, whose="Their" if reviewer else "The desk's"),
    }
    request.current_app = admin.site.name
    return TemplateResponse(request, "admin/dashboard/calibration.html", context)


def calibration_url(reviewer_id: int | None = None) -> str:
    if reviewer_id is None:
        return reverse("admin:calibration")
    return reverse("admin:reviewer_calibration", args=[reviewer_id])
