"""The admin's own pages beyond editing rows, one module each.

- :mod:`.review`: a reviewer's review of one assignment, with evidence added on the page.
- :mod:`.mywork`: a reviewer's open assignments ("My work"), to accept, decline or review.
- :mod:`.signoff`: an editor's sign-off screen for a claim in review.
- :mod:`.assign`: an editor offers a claim to a reviewer.
- :mod:`.correct`: an editor corrects, updates or withdraws a published verdict.

They only collect input and show what the reads return; the rules are the services', and
whatever a service refuses is shown in its words, with nothing saved.
"""

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
