"""The admin's own pages beyond editing rows (review, My work, sign-off, assign, correct), one
module each. They collect input and show what the reads return; the rules are the services',
and whatever a service refuses is shown in its words, with nothing saved."""

from verification.admin.views.assign import assign_reviewer_view
from verification.admin.views.common import page_url
from verification.admin.views.correct import claim_correct_view
from verification.admin.views.mywork import my_work_view
from verification.admin.views.review import review_submit_view
from verification.admin.views.signoff import claim_signoff_view

__all__ = [
    "assign_reviewer_view",
    "claim_correct_view",
    "claim_signoff_view",
    "my_work_view",
    "page_url",
    "review_submit_view",
]
