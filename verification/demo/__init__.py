"""The demo desk: its people, and one news story's claims walked through the workflow.

The story is an early-November-2023 news analysis of how much sway Washington had over the
wars in Israel and Gaza and in Ukraine. It is told here as data in the desk's own words: a
briefing the desk wrote (:mod:`verification.demo.briefing`), the claims a checker would pull out of
it, and what the desk has done with each so far (:mod:`verification.demo.story`). No sentence of the
original article lives in the project; when the article itself is on disk
(``../shared/seed/article.md``) it is read at run time and stored as a second source, and two
figures are located in it by pattern and widened to their sentence
(:func:`claims.extraction.sentences.sentence_around`).

Everything is written through the services, so the demo obeys the same rules as every other
door: :func:`load_demo` (:mod:`verification.demo.loader`) creates what is missing and leaves what
exists alone, so running it twice changes nothing.
"""

from verification.demo.briefing import BRIEFING_TEXT, BRIEFING_TITLE, BRIEFING_URL
from verification.demo.loader import DemoReport, load_demo, login_lines, seed_article_path
from verification.demo.people import (
    ADMIN,
    AID_REVIEWER,
    DEMO_USERS,
    EDITOR,
    MIDEAST_REVIEWER,
    SIGNOFF_EDITOR,
    SPEAKERS,
    UKRAINE_REVIEWER,
    DemoUser,
    SpeakerSpec,
)
from verification.demo.story import STORY

__all__ = [
    "ADMIN",
    "AID_REVIEWER",
    "BRIEFING_TEXT",
    "BRIEFING_TITLE",
    "BRIEFING_URL",
    "DEMO_USERS",
    "EDITOR",
    "MIDEAST_REVIEWER",
    "SIGNOFF_EDITOR",
    "SPEAKERS",
    "STORY",
    "UKRAINE_REVIEWER",
    "DemoReport",
    "DemoUser",
    "SpeakerSpec",
    "load_demo",
    "login_lines",
    "seed_article_path",
]
