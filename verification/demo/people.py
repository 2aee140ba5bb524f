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
    roles: tuple[str, ...] = ()
    expertise: tuple[str, ...] = ()  # topic names; a reviewer profile is made when present
    superuser: bool = False
    duty: str = ""  # what the login is for, printed with it

    @property
    def password(self) -> str:
        """Every demo login's password follows one pattern, so the printed list is easy to read."""
        return f"{self.username}-demo-pass"

    @property
    def email(self) -> str:
        return f"{self.username}@desk.example"


ADMIN = DemoUser(
    username="admin",
    first_name="Desk",
    last_name="Administrator",
    superuser=True,
    duty="superuser: everything, including users and groups",
)
EDITOR = DemoUser(
    username="editor",
    first_name="Nadia",
    last_name="Okonkwo",
    roles=(Role.EDITOR,),
    duty="editor: triages, assigns, signs off",
)
SIGNOFF_EDITOR = DemoUser(
    username="editor2",
    first_name="Pieter",
    last_name="Vos",
    roles=(Role.EDITOR,),
    duty="second editor: signs off claims the first editor handled",
)
AID_REVIEWER = DemoUser(
    username="amara",
    first_name="Amara",
    last_name="Lindqvist",
    roles=(Role.REVIEWER,),
    expertise=("Military aid", "U.S. politics", "Weapons"),
    duty="reviewer: military aid, U.S. politics, weapons",
)
MIDEAST_REVIEWER = DemoUser(
    username="leila",
    first_name="Leila",
    last_name="Haddad",
    roles=(Role.REVIEWER,),
    expertise=("Israel-Gaza war", "Casualty figures"),
    duty="reviewer: Israel-Gaza war, casualty figures",
)
UKRAINE_REVIEWER = DemoUser(
    username="tomas",
    first_name="Tomas",
    last_name="Kowalczyk",
    roles=(Role.REVIEWER,),
    expertise=("Ukraine war", "Weapons", "Casualty figures"),
    duty="reviewer: Ukraine war, weapons, casualty figures",
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
