"""A column several of verification's lists share."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from claims.admin.base import short


class ClaimColumnMixin:
    """``claim_short`` for ``list_display``: the row's claim, cut to fit a list."""

    @admin.display(description="claim")
    def claim_short(self, obj: Any) -> str:
        return short(str(obj.claim), 50)
