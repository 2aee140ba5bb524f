"""Reviewer profiles: availability, capacity, expertise, reminder preference."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from claims.history import history_as
from claims.models import Topic
from claims.roles import is_editor
from config.tasks import after_commit
from verification.models import Availability, ReviewerProfile


def reviewer_profile_save(
    *, actor: AbstractBaseUser, profile: ReviewerProfile, expertise: Sequence[Topic] | None = None
) -> ReviewerProfile:
    """Save a profile edited by an editor or by the reviewer themself.

    A reviewer who is available after the change (back from away, or with more capacity) may
    take waiting claims, so the queue is offered to them again after commit.
    """
    if not (is_editor(actor) or actor.pk == profile.user_id):
        raise PermissionDenied("Only an editor or the reviewer may change a reviewer profile.")
    with transaction.atomic():
        profile.full_clean(exclude=["user"] if profile.pk else None)
        history_as(profile, actor)
        profile.save()
        if expertise is not None:
            profile.expertise.set(expertise)
        if profile.availability == Availability.AVAILABLE:
            from verification import tasks  # the tasks import the services

            after_commit(tasks.assign_waiting_claims)
    return profile
