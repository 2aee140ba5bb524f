"""Who checks a claim, with what evidence, to what verdict and with what confidence: one module
per area. Other fact-checkers' verdicts belong to claims (``claims.models.external_reviews``)."""

from verification.models.assignments import OPEN_ASSIGNMENT_STATES, Assignment, AssignmentState
from verification.models.emails import EmailKind, EmailLog, EmailStatus
from verification.models.events import WorkflowAction, WorkflowEvent
from verification.models.evidence import (
    EVIDENCE_DETAILS,
    Evidence,
    InformationCredibility,
    SourceReliability,
    Stance,
)
from verification.models.reviewers import Availability, ReviewerProfile
from verification.models.reviews import Review

__all__ = [
    "EVIDENCE_DETAILS",
    "OPEN_ASSIGNMENT_STATES",
    "Assignment",
    "AssignmentState",
    "Availability",
    "EmailKind",
    "EmailLog",
    "EmailStatus",
    "Evidence",
    "InformationCredibility",
    "Review",
    "ReviewerProfile",
    "SourceReliability",
    "Stance",
    "WorkflowAction",
    "WorkflowEvent",
]
