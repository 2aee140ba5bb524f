"""The story's claims, as data, and what the desk has done with each so far.

From published (after reviewers agreed) through in review, in research, triaged and dismissed
to new: the claims reviewers have worked on (:mod:`~verification.demo.story.reviewed`), the
desk's earlier published checks behind the calibration figures
(:mod:`~verification.demo.story.earlier`), then those waiting for a reviewer or for triage
(:mod:`~verification.demo.story.waiting`). The loader creates them in this order.
"""

from verification.demo.specs import ClaimStory
from verification.demo.story.earlier import EARLIER
from verification.demo.story.reviewed import REVIEWED
from verification.demo.story.waiting import WAITING

STORY: tuple[ClaimStory, ...] = (*REVIEWED, *EARLIER, *WAITING)

__all__ = ["STORY"]
