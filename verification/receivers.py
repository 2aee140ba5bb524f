"""Verification's answers to what claims announces (``claims.signals``); connected when the app
is ready (``verification.apps``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.dispatch import receiver

from claims.models import Claim
from claims.signals import claims_created
from verification.models import WorkflowAction, WorkflowEvent


@receiver(claims_created, dispatch_uid="verification.claims_created")
def claims_created_record(
    sender: Any, *, claims: Sequence[Claim], actor: AbstractBaseUser | None, **kwargs: Any
) -> None:
    """Each new claim's first workflow event ("created", in its first state), in one INSERT."""
    WorkflowEvent.objects.bulk_create(
        WorkflowEvent(claim=claim, actor=actor, action=WorkflowAction.CREATE, to_state=claim.state)
        for claim in claims
    )
