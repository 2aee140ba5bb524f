"""Corrections' fixtures: the API's role clients, and every verdict_changed announcement."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import _fresh_throttles, admin_user, api, role_user  # noqa: F401
from verification.signals import verdict_changed


@pytest.fixture
def announced() -> list[tuple[int, str, int]]:
    """``(claim id, event, workflow event id)`` of every ``verdict_changed`` sent."""
    seen: list[tuple[int, str, int]] = []

    def receive(sender: Any, *, claim: Any, event: str, workflow_event: Any, **kw: Any) -> None:
        seen.append((claim.pk, event, workflow_event.pk))

    verdict_changed.connect(receive, dispatch_uid="tests.announced")
    yield seen
    verdict_changed.disconnect(dispatch_uid="tests.announced")
