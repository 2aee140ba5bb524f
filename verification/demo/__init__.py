"""The demo desk: its people, and one news story's claims walked through the workflow.

The story is an early-November-2023 news analysis of Washington's sway over the wars in
Israel and Gaza and in Ukraine, told as data in the desk's own words (:mod:`.briefing`,
:mod:`.story`). No sentence of the original article lives in the project; when the article is
on disk (``../shared/seed/article.md``) it is read at run time and stored as a second source.
Everything is written through the services, and :func:`load_demo` only creates what is
missing, so running it twice changes nothing.
"""

from verification.demo.briefing import BRIEFING_URL
from verification.demo.loader import load_demo, login_lines, seed_article_path
from verification.demo.people import (
    AID_REVIEWER,
    DEMO_USERS,
    MIDEAST_REVIEWER,
    SIGNOFF_EDITOR,
    SPEAKERS,
    UKRAINE_REVIEWER,
    DemoUser,
)
from verification.demo.story import STORY

__all__ = [
    "AID_REVIEWER",
    "BRIEFING_URL",
    "DEMO_USERS",
    "MIDEAST_REVIEWER",
    "SIGNOFF_EDITOR",
    "SPEAKERS",
    "STORY",
    "UKRAINE_REVIEWER",
    "DemoUser",
    "load_demo",
    "login_lines",
    "seed_article_path",
]
