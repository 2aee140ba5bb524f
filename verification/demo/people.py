"""The demo's people: the desk's logins, and the speakers the story quotes."""

from __future__ import annotations

from dataclasses import dataclass

from claims.models import SpeakerKind
from claims.roles import Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    duty: str  # what the login is for, printed with it
    roles: tuple[str, ...] = ()
    expertise: tuple[str, ...] = ()  # topic names; a reviewer profile is made when present
    superuser: bool = False

    @property
    def password(self) -> str:
        """Every demo login's password follows one pattern, so the printed list is easy to read."""
        return f"{self.username}-demo-pass"

    @property
    def email(self) -> str:
        return f"{self.username}@desk.example"


EDITORS, REVIEWERS = (Role.EDITOR,), (Role.REVIEWER,)


# Username, first and last name, what the login is for, roles, expertise.
ADMIN = DemoUser(
    "admin",
    "Desk",
    "Administrator",
    "superuser: everything, including users and groups",
    superuser=True,
)
EDITOR = DemoUser("editor", "Nadia", "Okonkwo", "editor: triages, assigns, signs off", EDITORS)
SIGNOFF_EDITOR = DemoUser(
    "editor2", "Pieter", "Vos", "second editor: signs off claims the first editor handled", EDITORS
)
AID_REVIEWER = DemoUser(
    "amara",
    "Amara",
    "Lindqvist",
    "reviewer: military aid, U.S. politics, weapons",
    REVIEWERS,
    ("Military aid", "U.S. politics", "Weapons"),
)
MIDEAST_REVIEWER = DemoUser(
    "leila",
    "Leila",
    "Haddad",
    "reviewer: Israel-Gaza war, casualty figures",
    REVIEWERS,
    ("Israel-Gaza war", "Casualty figures"),
)
UKRAINE_REVIEWER = DemoUser(
    "tomas",
    "Tomas",
    "Kowalczyk",
    "reviewer: Ukraine war, weapons, casualty figures",
    REVIEWERS,
    ("Ukraine war", "Weapons", "Casualty figures"),
)

DEMO_USERS: tuple[DemoUser, ...] = (
    ADMIN,
    EDITOR,
    SIGNOFF_EDITOR,
    AID_REVIEWER,
    MIDEAST_REVIEWER,
    UKRAINE_REVIEWER,
)


@dataclass(frozen=True)
class SpeakerSpec:
    name: str
    role: str
    kind: str = SpeakerKind.PERSON


SPEAKERS: dict[str, SpeakerSpec] = {
    "biden": SpeakerSpec("Joe Biden", "President of the United States"),
    "kirby": SpeakerSpec("John F. Kirby", "spokesman for the National Security Council"),
    "finan": SpeakerSpec("Jon Finan", "deputy national security adviser (name as reported)"),
    "moulton": SpeakerSpec(
        "Seth Moulton", "U.S. Representative, Democrat of Massachusetts; former Marine"
    ),
    "zaluzhny": SpeakerSpec("Valery Zaluzhny", "commander-in-chief of Ukraine's armed forces"),
    "lute": SpeakerSpec("Douglas Lute", "retired U.S. Army general"),
    "ministry": SpeakerSpec(
        "Gaza health ministry",
        "health ministry of the Hamas-controlled government of Gaza",
        SpeakerKind.ORGANISATION,
    ),
    "officials": SpeakerSpec(
        "Biden administration officials",
        "unnamed U.S. officials and aides to the president",
        SpeakerKind.ORGANISATION,
    ),
}
