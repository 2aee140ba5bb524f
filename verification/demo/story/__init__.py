"""The story's claims, as data, in the order the loader creates them: those reviewers worked
on, the desk's earlier published checks (the calibration figures), then those waiting."""

from verification.demo.specs import ClaimStory
from verification.demo.story.earlier import EARLIER
from verification.demo.story.reviewed import REVIEWED
from verification.demo.story.waiting import WAITING

STORY: tuple[ClaimStory, ...] = (*REVIEWED, *EARLIER, *WAITING)

__all__ = ["STORY"]
