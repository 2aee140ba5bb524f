"""Verification services: the workflow's writes. Import from here."""

from verification.services.assignments import (
    assignment_accept,
    assignment_create,
    assignment_decline,
    assignment_expire,
    assignment_withdraw,
)
from verification.services.auto_assign import claim_auto_assign, claims_waiting_for_reviewers
from verification.services.corrections import claim_correct, claim_retract, claim_update
from verification.services.evidence import evidence_add, evidence_details
from verification.services.reminders import assignments_remind
from verification.services.reviewers import reviewer_profile_save
from verification.services.reviews import consensus_of, review_submit
from verification.services.workflow import (
    claim_dismiss,
    claim_publish,
    claim_reopen,
    claim_restore,
    claim_send_back,
    claim_submit_for_signoff,
    claim_triage,
)

__all__ = [
    "assignment_accept",
    "assignment_create",
    "assignment_decline",
    "assignment_expire",
    "assignment_withdraw",
    "assignments_remind",
    "claim_auto_assign",
    "claim_correct",
    "claim_dismiss",
    "claim_publish",
    "claim_reopen",
    "claim_restore",
    "claim_retract",
    "claim_send_back",
    "claim_submit_for_signoff",
    "claim_triage",
    "claim_update",
    "claims_waiting_for_reviewers",
    "consensus_of",
    "evidence_add",
    "evidence_details",
    "review_submit",
    "reviewer_profile_save",
]
