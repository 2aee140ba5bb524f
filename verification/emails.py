"""The desk's emails: one function per kind, each rendering ``templates/emails/<kind>/`` into an
:class:`EmailLog` row in the caller's transaction, delivered after commit. The row's ``key``
names the event, so the same event never sends a second message."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from claims.models import Appearance, Claim, ClaimState, Correction
from claims.roles import Role
from verification.models import OPEN_ASSIGNMENT_STATES, Assignment, EmailKind, EmailLog, Review

logger = logging.getLogger(__name__)


def desk_link(path: str) -> str:
    return settings.DESK_URL.rstrip("/") + path


def claim_links(claim: Claim) -> dict[str, str]:
    """Where a person opens the claim: the admin page and the API resource."""
    return {
        "admin_url": desk_link(reverse("admin:claims_claim_change", args=[claim.pk])),
        "api_url": desk_link(reverse("api:claim-detail", kwargs={"pk": claim.pk})),
    }


def editors() -> list[AbstractBaseUser]:
    """Active editors with an email address, who receive the desk's notices."""
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.EDITOR, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )


def _queue(*, key: str, user: AbstractBaseUser, **message: Any) -> EmailLog | None:
    """Render one message (``message``: :func:`_render`'s other arguments) and store it once
    under ``key``; deliver it after commit."""
    if not _has_address(user, key):
        return None
    existing = EmailLog.objects.filter(key=key).first()
    if existing is not None:
        return existing
    email = _render(key=key, user=user, **message)
    email.save()
    transaction.on_commit(lambda: enqueue_delivery(email.pk))
    return email


def _queue_each(users: Iterable[AbstractBaseUser], *, key: str, **message: Any) -> list[EmailLog]:
    """The same message to each of ``users`` who has an address, under ``<key>:<user id>``."""
    emails = (_queue(key=f"{key}:{user.pk}", user=user, **message) for user in users)
    return [email for email in emails if email is not None]


def _submitter_and_reviewers(claim: Claim, reviews: QuerySet[Review]) -> list[AbstractBaseUser]:
    """Whose names stand behind a claim's verdict: its submitter and ``reviews``' authors."""
    people = {}
    if claim.submitted_by is not None:
        people[claim.submitted_by.pk] = claim.submitted_by
    for review in reviews.select_related("reviewer"):
        people[review.reviewer.pk] = review.reviewer
    return list(people.values())


def _has_address(user: AbstractBaseUser, key: str) -> bool:
    if not user.email:
        logger.warning("No email address for %s; %s not sent", user, key)
        return False
    return True


def _render(
    *,
    key: str,
    kind: str,
    user: AbstractBaseUser,
    context: dict[str, Any],
    claim: Claim | None = None,
    assignment: Assignment | None = None,
) -> EmailLog:
    """One message rendered into an unsaved outbox row."""
    context = {
        "desk_name": settings.DESK_NAME,
        "desk_url": settings.DESK_URL,
        "recipient": user,
        **context,
    }
    subject = render_to_string(f"emails/{kind}/subject.txt", context)
    return EmailLog(
        key=key,
        kind=kind,
        recipient=user.email,
        user=user,
        claim=claim,
        assignment=assignment,
        subject=" ".join(subject.split())[:300],
        message_id=make_msgid(idstring=key.replace(":", "."), domain=_mail_domain()),
        body_text=render_to_string(f"emails/{kind}/body.txt", context),
        body_html=render_to_string(f"emails/{kind}/body.html", context),
    )


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"


def enqueue_delivery(email_id: int) -> None:
    """Hand a stored email to the broker (if it is down, the sweep delivers it later), or to
    the task that delivers what it committed (``delivery.committed_emails``)."""
    from verification import delivery
    from verification.tasks import safe_delay, send_email

    if delivery.collect(email_id):
        return
    safe_delay(send_email, email_id)


def _claim_context(
    claim: Claim, *, appearances: dict[int, Appearance] | None = None
) -> dict[str, Any]:
    """What every email about a claim shows; ``appearances`` (:func:`first_appearances`)
    saves the query for a caller that read them."""
    if appearances is None:
        appearance = (
            claim.appearances.select_related("source", "speaker").order_by("created_at").first()
        )
    else:
        appearance = appearances.get(claim.pk)
    return {"claim": claim, "appearance": appearance, **claim_links(claim)}


def _to_reviewer(
    assignment: Assignment,
    kind: str,
    *,
    suffix: str = "",
    appearances: dict[int, Appearance] | None = None,
    **context: Any,
) -> dict[str, Any]:
    """:func:`_queue`'s arguments for a message to an assignment's reviewer about it, keyed
    ``<kind>:<assignment id><suffix>``."""
    claim = assignment.claim
    context.update(assignment=assignment, **_claim_context(claim, appearances=appearances))
    return {
        "key": f"{kind}:{assignment.pk}{suffix}",
        "kind": kind,
        "user": assignment.reviewer,
        "context": context,
        "claim": claim,
        "assignment": assignment,
    }


def email_assignment(*, assignment: Assignment) -> EmailLog | None:
    """Tell a reviewer a claim was assigned to them: quote, speaker, source, priority, due."""
    return _queue(**_to_reviewer(assignment, EmailKind.ASSIGNMENT))


def assignment_emails_render(
    *, assignments: Iterable[Assignment], appearances: dict[int, Appearance]
) -> list[EmailLog]:
    """The rows :func:`email_assignment` stores for new ``assignments`` (so none exists yet),
    unsaved, for a caller that stores them in bulk and enqueues them after commit."""
    rows = []
    for assignment in assignments:
        message = _to_reviewer(assignment, EmailKind.ASSIGNMENT, appearances=appearances)
        if _has_address(message["user"], message["key"]):
            rows.append(_render(**message))
    return rows


def first_appearances(claim_ids: Iterable[int]) -> dict[int, Appearance]:
    """Each claim's first appearance (what :func:`_claim_context` shows), in one query."""
    first: dict[int, Appearance] = {}
    for appearance in (
        Appearance.objects.filter(claim_id__in=list(claim_ids))
        .select_related("source", "speaker")
        .order_by("claim_id", "created_at", "pk")
    ):
        first.setdefault(appearance.claim_id, appearance)
    return first


def email_reminder(*, assignment: Assignment, number: int, overdue: bool) -> EmailLog | None:
    """Remind a reviewer of an assignment that is nearly due (or overdue)."""
    kind = EmailKind.OVERDUE if overdue else EmailKind.REMINDER
    return _queue(**_to_reviewer(assignment, kind, suffix=f":{number}", number=number))


def email_escalation(
    *, assignment: Assignment, reassigned_to: Iterable[AbstractBaseUser]
) -> list[EmailLog]:
    """Tell the editors an overdue assignment expired and who (if anyone) has the claim now."""
    return _queue_each(
        editors(),
        key=f"escalation:{assignment.pk}",
        kind=EmailKind.ESCALATION,
        context={
            "assignment": assignment,
            "reassigned_to": list(reassigned_to),
            **_claim_context(assignment.claim),
        },
        claim=assignment.claim,
        assignment=assignment,
    )


def email_withdrawn(*, assignment: Assignment) -> EmailLog | None:
    """Tell a reviewer their assignment was taken back, and why."""
    return _queue(**_to_reviewer(assignment, EmailKind.WITHDRAWN))


def email_ready_for_signoff(*, claim: Claim) -> list[EmailLog]:
    """Tell the editors who did not review the claim that its reviews are in."""
    reviews = list(
        Review.objects.filter(claim=claim, review_round=claim.review_round).select_related(
            "reviewer"
        )
    )
    reviewer_ids = {r.reviewer_id for r in reviews}
    return _queue_each(
        # The editors who reviewed it cannot sign it off.
        (editor for editor in editors() if editor.pk not in reviewer_ids),
        key=f"signoff:{claim.pk}:{claim.review_round}",
        kind=EmailKind.READY_FOR_SIGNOFF,
        context={"reviews": reviews, **_claim_context(claim)},
        claim=claim,
    )


def email_published(*, claim: Claim) -> list[EmailLog]:
    """Tell the submitter and the reviewers of the claim that it was published."""
    reviews = Review.objects.filter(claim=claim, review_round=claim.review_round)
    return _queue_each(
        _submitter_and_reviewers(claim, reviews),
        key=f"published:{claim.pk}:{claim.review_round}",
        kind=EmailKind.PUBLISHED,
        context=_claim_context(claim),
        claim=claim,
    )


def email_corrected(*, claim: Claim, correction: Correction) -> list[EmailLog]:
    """Tell the submitter and everyone who reviewed the claim, in any round, that its public
    verdict was corrected, updated or withdrawn: their names stand behind the earlier one."""
    people = _submitter_and_reviewers(claim, Review.objects.filter(claim=claim).order_by("pk"))
    return _queue_each(
        [user for user in people if user.pk != getattr(correction.made_by, "pk", None)],
        key=f"corrected:{correction.pk}",
        kind=EmailKind.CORRECTED,
        context={**_claim_context(claim), "correction": correction},
        claim=claim,
    )


def digest_context(*, now: dt.datetime) -> dict[str, Any]:
    """The desk's backlog by state, overdue work and claims waiting for sign-off."""
    counts = dict(
        Claim.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    backlog = [(state.label, counts.get(state.value, 0)) for state in ClaimState]
    overdue = list(
        Assignment.objects.filter(state__in=OPEN_ASSIGNMENT_STATES, due_at__lt=now)
        .select_related("claim", "reviewer")
        .order_by("due_at")[:50]
    )
    waiting = list(Claim.objects.filter(state=ClaimState.IN_REVIEW).order_by("updated_at")[:50])
    for claim in waiting:
        claim.links = claim_links(claim)
    return {"backlog": backlog, "overdue": overdue, "waiting": waiting, "now": now}


def email_digest(*, day: dt.date, now: dt.datetime | None = None) -> list[EmailLog]:
    """The daily digest, once per editor per day."""
    context = digest_context(now=now or timezone.now())
    context["day"] = day
    return _queue_each(
        editors(), key=f"digest:{day.isoformat()}", kind=EmailKind.DIGEST, context=context
    )


def email_new_login(
    *, user: AbstractBaseUser, login_id: int, at: dt.datetime, ip: str | None, user_agent: str
) -> EmailLog | None:
    """Tell a person their account was logged in to from an address and browser it had not
    been used from (``config.accounts``), and what to do if it was not them."""
    return _queue(
        key=f"new_login:{login_id}",
        kind=EmailKind.NEW_LOGIN,
        user=user,
        context={
            "at": at,
            "ip": ip,
            "user_agent": user_agent,
            "password_url": desk_link(reverse("admin:password_change")),
        },
    )


# The outbox for the apps above this one (archive.emails): the same rendering, key and delivery.
email_queue = _queue
