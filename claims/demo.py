"""The demo desk: its people, and one news story's claims walked through the workflow.

The story is an early-November-2023 news analysis of how much sway Washington had over the
wars in Israel and Gaza and in Ukraine. It is told here as data in the desk's own words: a
briefing the desk wrote (:data:`BRIEFING_TEXT`), the claims a checker would pull out of it,
and what the desk has done with each so far. No sentence of the original article lives in the
project; when the article itself is on disk (``../shared/seed/article.md``) it is read at run
time and stored as a second source, and two figures are located in it by pattern.

Everything is written through the services, so the demo obeys the same rules as every other
door: :func:`load_demo` creates what is missing and leaves what exists alone, so running it
twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction

from claims.models import (
    Attribution,
    Claim,
    Period,
    Priority,
    QuantityKind,
    Source,
    SourceKind,
    Speaker,
    SpeakerKind,
    Topic,
)
from claims.services import (
    AppearanceData,
    QuantityData,
    claim_create,
    source_get_or_create,
    speaker_get_or_create,
    topics_get_or_create,
)
from verification import services as workflow
from verification.models import (
    Evidence,
    InformationCredibility,
    ReviewerProfile,
    SourceReliability,
    Stance,
)
from verification.roles import Role, ensure_roles

# --- The people -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    first_name: str
    last_name: str
    roles: tuple[str, ...] = ()
    expertise: tuple[str, ...] = ()  # topic names; a reviewer profile is made when present
    superuser: bool = False
    duty: str = ""  # what the login is for, printed with it

    @property
    def email(self) -> str:
        return f"{self.username}@desk.example"


ADMIN = DemoUser(
    username="admin",
    password="admin-demo-pass",
    first_name="Desk",
    last_name="Administrator",
    superuser=True,
    duty="superuser: everything, including users and groups",
)
EDITOR = DemoUser(
    username="editor",
    password="editor-demo-pass",
    first_name="Nadia",
    last_name="Okonkwo",
    roles=(Role.EDITOR,),
    duty="editor: triages, assigns, signs off",
)
SIGNOFF_EDITOR = DemoUser(
    username="editor2",
    password="editor2-demo-pass",
    first_name="Pieter",
    last_name="Vos",
    roles=(Role.EDITOR,),
    duty="second editor: signs off claims the first editor handled",
)
AID_REVIEWER = DemoUser(
    username="amara",
    password="amara-demo-pass",
    first_name="Amara",
    last_name="Lindqvist",
    roles=(Role.REVIEWER,),
    expertise=("Military aid", "U.S. politics", "Weapons"),
    duty="reviewer: military aid, U.S. politics, weapons",
)
MIDEAST_REVIEWER = DemoUser(
    username="leila",
    password="leila-demo-pass",
    first_name="Leila",
    last_name="Haddad",
    roles=(Role.REVIEWER,),
    expertise=("Israel-Gaza war", "Casualty figures"),
    duty="reviewer: Israel-Gaza war, casualty figures",
)
UKRAINE_REVIEWER = DemoUser(
    username="tomas",
    password="tomas-demo-pass",
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

# --- The desk's own summary of the story ----------------------------------------------------

BRIEFING_TITLE = "Desk briefing: how much sway Washington has over two wars (November 2023)"
BRIEFING_URL = "https://desk.example/briefings/2023-11-us-leverage-two-wars"
BRIEFING_PUBLISHER = "Claims Desk (demo)"
BRIEFING_DATE = dt.date(2023, 11, 7)

# Written by the desk for the demo. Every quote below is a span of this text, found at run time.
BRIEFING_TEXT = """\
DESK BRIEFING. This is the desk's own summary, written for the demo in our words. It is not \
the text of any published article, and the quotes recorded against it are quotes of this \
summary.

The story. A news analysis that ran in early November 2023 argued that Joe Biden can do less \
than one might think to shape how Israel and Ukraine conduct their wars, although the United \
States provides much of their weapons and battlefield intelligence.

Israel and Gaza. For more than a week the White House pressed Israel's prime minister, \
Benjamin Netanyahu, to accept humanitarian pauses in Gaza. It had counted on the US$3.8 \
billion in security assistance that the United States gives Israel every year to carry weight \
with him; Netanyahu turned the request down. Israel is retaliating for the attacks of \
October 7, which killed 1,400 people by the count Biden gave after his trip to Israel.

U.S. officials say that when American advisers urged other ways of fighting in cities, Israeli \
leaders replied that they fight with what they have, bombs of 1,000 and 2,000 pounds among it; \
the U.S. is hurrying to supply lighter munitions.

According to the Gaza health ministry, which published its count on Monday, Israeli \
bombardment had left around 10,000 Palestinian civilians dead, close to 4,000 of them \
children or adolescents. Hamas runs the ministry, so no one can check those numbers \
independently.

NSC spokesman John Kirby told reporters that American officials do not sit with Israeli \
planners when they choose targets, and called the war Israel's own.

The deputy national security adviser, named in the report as Jon Finan, said on CBS that \
military aid the U.S. sends abroad, to Israel too, carries pledges to observe the laws of war, \
and that Washington takes up any worries directly with Israel's government.

Rep. Seth Moulton of Massachusetts, who was deployed to Iraq four times as a Marine, said \
American presidents have repeatedly discovered that their influence on Israeli decisions is \
smaller than they assumed, and that Ukraine is no different, since the war is above all \
Ukraine's to fight.

Ukraine. Russia's full-scale invasion had by then gone on for 20 months. Gen. Valery \
Zaluzhny, who commands Ukraine's armed forces, called the war a stalemate and said that \
breaking it would need new military technology of a different order.

Administration officials say Kyiv now has all the weapons it has asked for, the latest being \
ATACMS long-range missiles, which Biden held back for a long time for fear of escalation with \
Russia.

Douglas Lute, who left the U.S. Army as a general, said at West Point that the United \
States gives Ukraine enough to keep fighting yet too little to prevail.
"""

# --- The seed article, when it is on disk ---------------------------------------------------


def seed_article_path() -> Path:
    """``../shared/seed/article.md`` relative to the project root."""
    return Path(settings.BASE_DIR).parent / "shared" / "seed" / "article.md"


# A full stop ends a sentence unless it closes one of these (titles, months, initials).
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "gen", "rep", "sen", "gov", "lt", "col", "sgt", "st", "jr", "sr"}
    | {"u.s", "u.n", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept"}
    | {"oct", "nov", "dec"}
)
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*(?=\s|$)")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    if text[match.start()] != ".":
        return True
    word = re.search(r"([\w.]+)$", text[: match.start()])
    if word is None:
        return True
    token = word.group(1).lower()
    # "J." and "E." are initials; "Oct." and "Mr." abbreviations; neither ends a sentence.
    return not ((len(token) == 1 and token.isalpha()) or token in _ABBREVIATIONS)


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen the span [start, end) to the whole sentence around it, without crossing paragraphs.

    A sentence ends at ".", "!" or "?" (with any closing quote) followed by white space, except
    after an abbreviation or an initial. Leading white space is not part of the sentence.
    """
    paragraph_start = 0
    for brk in _PARAGRAPH_BREAK.finditer(text, 0, start):
        paragraph_start = brk.end()
    paragraph_end = len(text)
    brk = _PARAGRAPH_BREAK.search(text, end)
    if brk is not None:
        paragraph_end = brk.start()

    left = paragraph_start
    for match in _SENTENCE_END.finditer(text, paragraph_start, start):
        if _ends_sentence(text, match):
            left = match.end()
    while left < start and text[left].isspace():
        left += 1

    right = paragraph_end
    for match in _SENTENCE_END.finditer(text, end, paragraph_end):
        if _ends_sentence(text, match):
            right = match.end()
            break
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right


def _parse_article(text: str) -> dict[str, str]:
    """Title, author and publisher from the article's Markdown head, where it has them."""
    meta = {"title": "", "author": "", "publisher": ""}
    heading = re.search(r"^#\s+(.+?)\s*$", text, re.MULTILINE)
    if heading:
        meta["title"] = heading.group(1)
    for bold in re.finditer(r"^\*\*(.+?)\*\*\s*$", text, re.MULTILINE):
        value = bold.group(1).strip()
        if value.lower().startswith("by "):
            meta["author"] = meta["author"] or value[3:].strip()
        elif not meta["publisher"]:
            meta["publisher"] = value
    return meta


# --- The claims, as data --------------------------------------------------------------------


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


@dataclass(frozen=True)
class QuoteSpec:
    """Where a claim appears in the briefing: a quote that occurs there exactly once."""

    quote: str
    attribution: str = Attribution.REPORTED
    speaker: str | None = None  # a key of SPEAKERS
    note: str = ""


@dataclass(frozen=True)
class ArticleFigure:
    """Where a claim appears in the seed article: a figure found by pattern, widened to its
    sentence at run time, so no article text is written down here."""

    pattern: str
    attribution: str = Attribution.REPORTED
    speaker: str | None = None


# The workflow steps, each carried out with one service call.


@dataclass(frozen=True)
class Triage:
    by: str = EDITOR.username
    note: str = ""


@dataclass(frozen=True)
class Dismiss:
    reason: str
    by: str = EDITOR.username


@dataclass(frozen=True)
class Assign:
    reviewer: str
    accept: bool = True
    by: str = EDITOR.username


@dataclass(frozen=True)
class AddEvidence:
    key: str  # how a Review step cites it
    by: str
    title: str
    stance: str
    reliability: str
    credibility: int
    origin_key: str
    url: str = ""
    document_ref: str = ""
    publisher: str = ""
    excerpt: str = ""


@dataclass(frozen=True)
class SubmitReview:
    reviewer: str
    rating: str
    confidence: str
    rationale: str
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Publish:
    by: str
    note: str = ""


Step = Triage | Dismiss | Assign | AddEvidence | SubmitReview | Publish


@dataclass(frozen=True)
class ClaimStory:
    statement: str
    topics: tuple[str, ...]
    submitted_by: str = EDITOR.username
    priority: str = Priority.NORMAL
    quantities: tuple[QuantityData, ...] = ()
    quotes: tuple[QuoteSpec, ...] = ()
    in_article: ArticleFigure | None = None
    steps: tuple[Step, ...] = field(default_factory=tuple)


MINISTRY_HEDGE = (
    "The ministry is run by Hamas; the briefing notes that its figures cannot be "
    "independently confirmed. The toll does not say how civilians were told apart from fighters."
)

STORY: tuple[ClaimStory, ...] = (
    # Published by the second editor, after two reviewers agreed.
    ClaimStory(
        statement="The United States gives Israel $3.8 billion in security assistance a year.",
        topics=("Military aid", "Israel-Gaza war", "U.S. politics"),
        priority=Priority.HIGH,
        quantities=(
            QuantityData(
                value=3_800_000_000,
                unit="USD",
                kind=QuantityKind.MONEY,
                period=Period.YEAR,
                text="US$3.8 billion … every year",
            ),
        ),
        quotes=(
            QuoteSpec(
                "US$3.8 billion in security assistance that the United States gives Israel "
                "every year",
                attribution=Attribution.ASSERTED,
            ),
        ),
        in_article=ArticleFigure(r"3\.8\s+billion", attribution=Attribution.ASSERTED),
        steps=(
            Triage(note="Central figure of the story; two reviews because it is high priority."),
            Assign(AID_REVIEWER.username),
            Assign(MIDEAST_REVIEWER.username),
            AddEvidence(
                key="mou",
                by=AID_REVIEWER.username,
                title="Fact sheet: the 2016 U.S.-Israel Memorandum of Understanding",
                publisher="The White House (archived)",
                url="https://obamawhitehouse.archives.gov/the-press-office/2016/09/14/"
                "fact-sheet-memorandum-understanding-reached-israel",
                excerpt="The memorandum pledges $38 billion over fiscal years 2019 to 2028: "
                "$33 billion of Foreign Military Financing and $5 billion for missile defence, "
                "which is $3.8 billion in each year.",
                stance=Stance.SUPPORTS,
                reliability=SourceReliability.A,
                credibility=InformationCredibility.CONFIRMED,
                origin_key="us-israel-mou-2016",
            ),
            AddEvidence(
                key="crs",
                by=MIDEAST_REVIEWER.username,
                title="U.S. Foreign Aid to Israel (CRS report RL33222)",
                publisher="Congressional Research Service",
                url="https://crsreports.congress.gov/product/pdf/RL/RL33222",
                excerpt="Tracks the yearly appropriations under the memorandum: $3.3 billion "
                "in military financing plus $500 million for joint missile-defence programmes.",
                stance=Stance.SUPPORTS,
                reliability=SourceReliability.A,
                credibility=InformationCredibility.CONFIRMED,
                origin_key="crs:RL33222",
            ),
            SubmitReview(
                AID_REVIEWER.username,
                rating="true",
                confidence="high",
                rationale="The 2016 memorandum sets $3.8 billion for each year from 2019 to 2028, "
                "and the appropriations the CRS tracks match it.",
                cites=("mou", "crs"),
            ),
            SubmitReview(
                MIDEAST_REVIEWER.username,
                rating="true",
                confidence="moderate",
                rationale="The yearly total matches the memorandum. Emergency funding passed "
                "after October 7 would come on top, so the figure is the baseline, not a cap.",
                cites=("crs",),
            ),
            Publish(
                by=SIGNOFF_EDITOR.username,
                note="Both reviewers agree; the memorandum is the primary record.",
            ),
        ),
    ),
    # In review, waiting for sign-off; the two reviewers disagree.
    ClaimStory(
        statement="1,400 people were killed in the October 7, 2023 attacks on Israel.",
        topics=("Israel-Gaza war", "Casualty figures"),
        priority=Priority.HIGH,
        quantities=(
            QuantityData(value=1400, unit="people", kind=QuantityKind.COUNT, text="1,400"),
        ),
        quotes=(
            QuoteSpec(
                "the attacks of October 7, which killed 1,400 people by the count Biden gave",
                attribution=Attribution.SAID,
                speaker="biden",
            ),
        ),
        in_article=ArticleFigure(r"\b1,400\b", attribution=Attribution.SAID, speaker="biden"),
        steps=(
            Triage(note="Casualty figure quoted by the president; two reviews."),
            Assign(MIDEAST_REVIEWER.username),
            Assign(UKRAINE_REVIEWER.username),
            AddEvidence(
                key="toll-oct",
                by=MIDEAST_REVIEWER.username,
                title="Israeli government death toll for the October 7 attacks (October 2023)",
                publisher="Government of Israel",
                url="https://www.gov.il/en/departments/news/swords-of-iron-7-oct-2023-toll",
                excerpt="The official toll given through October 2023 was about 1,400 dead.",
                stance=Stance.SUPPORTS,
                reliability=SourceReliability.B,
                credibility=InformationCredibility.PROBABLY_TRUE,
                origin_key="gov-il:2023-10-toll",
            ),
            AddEvidence(
                key="toll-revised",
                by=UKRAINE_REVIEWER.username,
                title="Israel revises its October 7 death toll to about 1,200",
                publisher="Reuters",
                url="https://www.reuters.com/world/middle-east/"
                "israel-revises-death-toll-oct-7-hamas-attack-around-1200-2023-11-10/",
                excerpt="In November 2023 the foreign ministry lowered the toll to about 1,200, "
                "saying some bodies first counted were those of attackers.",
                stance=Stance.REFUTES,
                reliability=SourceReliability.B,
                credibility=InformationCredibility.CONFIRMED,
                origin_key="gov-il:2023-11-10-toll-revision",
            ),
            SubmitReview(
                MIDEAST_REVIEWER.username,
                rating="mostly_true",
                confidence="moderate",
                rationale="1,400 was Israel's official count when the claim was made; the later "
                "revision changes the number but not the scale.",
                cites=("toll-oct",),
            ),
            SubmitReview(
                UKRAINE_REVIEWER.username,
                rating="mixed",
                confidence="moderate",
                rationale="The government itself lowered the figure to about 1,200 a few days "
                "later, so 1,400 overstates the toll by roughly a sixth.",
                cites=("toll-revised", "toll-oct"),
            ),
        ),
    ),
    # In research: one reviewer at work, a second offered; two evidence items, one origin.
    ClaimStory(
        statement="According to the Gaza health ministry, about 10,000 civilians in Gaza, some "
        "4,000 of them children and teenagers, had been killed by Israeli strikes by early "
        "November 2023.",
        topics=("Israel-Gaza war", "Casualty figures"),
        priority=Priority.HIGH,
        quantities=(
            QuantityData(
                value=10_000,
                unit="people",
                kind=QuantityKind.COUNT,
                approximate=True,
                text="around 10,000",
            ),
            QuantityData(
                value=4_000,
                unit="children and teenagers",
                kind=QuantityKind.COUNT,
                approximate=True,
                text="close to 4,000",
            ),
        ),
        quotes=(
            QuoteSpec(
                "Israeli bombardment had left around 10,000 Palestinian civilians dead, close "
                "to 4,000 of them children or adolescents",
                attribution=Attribution.SAID,
                speaker="ministry",
                note=MINISTRY_HEDGE,
            ),
        ),
        steps=(
            Triage(note="Contested casualty figure from a party to the war; two reviews."),
            Assign(MIDEAST_REVIEWER.username),
            Assign(UKRAINE_REVIEWER.username, accept=False),
            AddEvidence(
                key="ocha",
                by=MIDEAST_REVIEWER.username,
                title="Hostilities in the Gaza Strip and Israel: flash update, 6 November 2023",
                publisher="UN Office for the Coordination of Humanitarian Affairs",
                url="https://www.ochaopt.org/content/hostilities-gaza-strip-and-israel-flash-update-31",
                excerpt="Relays the ministry's cumulative toll of just over 10,000 dead, more "
                "than 4,000 of them children; the UN says it cannot verify the figures itself.",
                stance=Stance.SUPPORTS,
                reliability=SourceReliability.B,
                credibility=InformationCredibility.POSSIBLY_TRUE,
                # OCHA passes on the ministry's count: one origin, not two.
                origin_key="gaza-moh:2023-11-06-toll",
            ),
            AddEvidence(
                key="moh",
                by=MIDEAST_REVIEWER.username,
                title="Gaza ministry of health daily casualty report, 6 November 2023",
                publisher="Ministry of Health, Gaza",
                document_ref="MoH Gaza daily report 2023-11-06 (Arabic, via the ministry's "
                "Telegram channel)",
                excerpt="Gives the dead as a single total; it does not separate civilians "
                "from combatants.",
                stance=Stance.CONTEXT,
                reliability=SourceReliability.C,
                credibility=InformationCredibility.POSSIBLY_TRUE,
                origin_key="gaza-moh:2023-11-06-toll",
            ),
        ),
    ),
    # In research: accepted by the Ukraine specialist; submitted by another reviewer.
    ClaimStory(
        statement="The United States has supplied Ukraine with ATACMS long-range missiles.",
        topics=("Ukraine war", "Weapons", "Military aid"),
        submitted_by=MIDEAST_REVIEWER.username,
        quotes=(
            QuoteSpec(
                "the latest being ATACMS long-range missiles",
                attribution=Attribution.SAID,
                speaker="officials",
            ),
        ),
        steps=(
            Triage(),
            Assign(UKRAINE_REVIEWER.username),
            AddEvidence(
                key="state",
                by=UKRAINE_REVIEWER.username,
                title="U.S. security cooperation with Ukraine (fact sheet)",
                publisher="U.S. Department of State",
                url="https://www.state.gov/u-s-security-cooperation-with-ukraine/",
                excerpt="Lists the weapons the United States has committed to Ukraine; ATACMS "
                "appear from October 2023.",
                stance=Stance.SUPPORTS,
                reliability=SourceReliability.A,
                credibility=InformationCredibility.CONFIRMED,
                origin_key="state.gov/u-s-security-cooperation-with-ukraine",
            ),
        ),
    ),
    # In research: offered to the reviewer who knows U.S. politics, not yet accepted.
    ClaimStory(
        statement="Rep. Seth Moulton did four tours of duty in Iraq as a Marine.",
        topics=("U.S. politics",),
        priority=Priority.LOW,
        quantities=(QuantityData(value=4, unit="tours", kind=QuantityKind.COUNT, text="four"),),
        quotes=(QuoteSpec("who was deployed to Iraq four times as a Marine"),),
        steps=(Triage(), Assign(AID_REVIEWER.username, accept=False)),
    ),
    # Published as false: the name as given is not the official's name.
    ClaimStory(
        statement="The U.S. deputy national security adviser who spoke on CBS in early "
        "November 2023 is named Jon Finan.",
        topics=("U.S. politics",),
        quotes=(QuoteSpec("named in the report as Jon Finan"),),
        steps=(
            Triage(note="Names are cheap to check and costly to get wrong."),
            Assign(AID_REVIEWER.username),
            AddEvidence(
                key="nsc",
                by=AID_REVIEWER.username,
                title="National Security Council leadership",
                publisher="The White House",
                url="https://www.whitehouse.gov/nsc/",
                excerpt="Lists Jon Finer as Principal Deputy National Security Advisor.",
                stance=Stance.REFUTES,
                reliability=SourceReliability.A,
                credibility=InformationCredibility.CONFIRMED,
                origin_key="whitehouse.gov/nsc",
            ),
            AddEvidence(
                key="cbs",
                by=AID_REVIEWER.username,
                title="Transcript: Face the Nation, November 5, 2023",
                publisher="CBS News",
                url="https://www.cbsnews.com/news/jon-finer-face-the-nation-transcript-11-05-2023/",
                excerpt="The programme's transcript names its guest as Jon Finer.",
                stance=Stance.REFUTES,
                reliability=SourceReliability.B,
                credibility=InformationCredibility.CONFIRMED,
                origin_key="cbsnews.com/face-the-nation-2023-11-05",
            ),
            SubmitReview(
                AID_REVIEWER.username,
                rating="false",
                confidence="high",
                rationale="The official is Jon Finer; the White House listing and the CBS "
                "transcript both spell it so. The name as reported is a misspelling.",
                cites=("nsc", "cbs"),
            ),
            Publish(by=EDITOR.username, note="Correction of a name; no reviewer disagreed."),
        ),
    ),
    # Triaged, waiting for a reviewer.
    ClaimStory(
        statement="Russia's full-scale war in Ukraine had lasted 20 months by early November 2023.",
        topics=("Ukraine war",),
        priority=Priority.LOW,
        quantities=(
            QuantityData(value=20, unit="months", kind=QuantityKind.DURATION, text="20 months"),
        ),
        quotes=(
            QuoteSpec(
                "Russia's full-scale invasion had by then gone on for 20 months",
                attribution=Attribution.ASSERTED,
            ),
        ),
        steps=(Triage(),),
    ),
    ClaimStory(
        statement="Israel has been using 1,000-pound and 2,000-pound bombs in Gaza.",
        topics=("Weapons", "Israel-Gaza war"),
        submitted_by=AID_REVIEWER.username,
        quantities=(
            QuantityData(value=1000, unit="lb", kind=QuantityKind.WEIGHT, text="1,000 pounds"),
            QuantityData(value=2000, unit="lb", kind=QuantityKind.WEIGHT, text="2,000 pounds"),
        ),
        quotes=(
            QuoteSpec(
                "bombs of 1,000 and 2,000 pounds",
                attribution=Attribution.SAID,
                speaker="officials",
            ),
        ),
        steps=(Triage(),),
    ),
    ClaimStory(
        statement="The war between Russia and Ukraine has reached a stalemate.",
        topics=("Ukraine war",),
        submitted_by=UKRAINE_REVIEWER.username,
        quotes=(
            QuoteSpec(
                "called the war a stalemate", attribution=Attribution.SAID, speaker="zaluzhny"
            ),
        ),
        steps=(Triage(note="An assessment, but checkable against front-line changes."),),
    ),
    # Dismissed, with the reason on record.
    ClaimStory(
        statement="U.S. officials do not take part in choosing Israel's targets in Gaza.",
        topics=("Israel-Gaza war", "U.S. politics"),
        quotes=(
            QuoteSpec(
                "American officials do not sit with Israeli planners when they choose targets",
                attribution=Attribution.SAID,
                speaker="kirby",
            ),
        ),
        steps=(
            Dismiss(
                reason="About classified military practice: no public record could confirm or "
                "refute it, so there is nothing for the desk to check."
            ),
        ),
    ),
    # New, waiting for triage.
    ClaimStory(
        statement="U.S. presidents have repeatedly had less leverage over Israel than they "
        "expected.",
        topics=("U.S. politics", "Israel-Gaza war"),
        quotes=(
            QuoteSpec(
                "American presidents have repeatedly discovered that their influence on Israeli "
                "decisions is smaller than they assumed",
                attribution=Attribution.SAID,
                speaker="moulton",
            ),
        ),
    ),
    ClaimStory(
        statement="U.S. military aid to Ukraine is enough for it to keep fighting but not "
        "enough for it to win.",
        topics=("Ukraine war", "Military aid"),
        submitted_by=UKRAINE_REVIEWER.username,
        quotes=(
            QuoteSpec(
                "gives Ukraine enough to keep fighting yet too little to prevail",
                attribution=Attribution.SAID,
                speaker="lute",
            ),
        ),
    ),
    ClaimStory(
        statement="Every U.S. transfer of security assistance, including to Israel, comes with "
        "assurances that the law of armed conflict will be respected.",
        topics=("Military aid", "U.S. politics"),
        quotes=(
            QuoteSpec(
                "carries pledges to observe the laws of war",
                attribution=Attribution.SAID,
                speaker="finan",
            ),
        ),
    ),
)

# --- The loader -----------------------------------------------------------------------------


@dataclass
class DemoReport:
    """What a run did, for the command to print."""

    created_users: list[str] = field(default_factory=list)
    created_claims: list[str] = field(default_factory=list)
    skipped_claims: int = 0
    notes: list[str] = field(default_factory=list)


def load_demo(*, article_path: Path | None = None) -> DemoReport:
    """Load the demo desk, creating only what is missing. Safe to run any number of times.

    1. Make sure the role groups exist, then the demo users (with their groups, and a reviewer
       profile with expertise for each reviewer). Existing accounts keep their passwords.
    2. Store the desk's briefing as a source, and the seed article too when it is on disk.
    3. For each claim of the story that is not stored yet (matched by its exact statement):
       create it with its quantities and appearances, then walk it through its workflow steps,
       each with the service a person would use. A claim already present is left alone.
    All of it happens in one transaction: a failure leaves the database as it was.
    """
    report = DemoReport()
    with transaction.atomic():
        ensure_roles()
        users = {spec.username: _user_ensure(spec, report) for spec in DEMO_USERS}
        briefing = source_get_or_create(
            actor=users[EDITOR.username],
            title=BRIEFING_TITLE,
            text=BRIEFING_TEXT,
            url=BRIEFING_URL,
            kind=SourceKind.REPORT,
            publisher=BRIEFING_PUBLISHER,
            author=f"{EDITOR.first_name} {EDITOR.last_name}",
            published_on=BRIEFING_DATE,
        ).source
        article = _article_source(article_path or seed_article_path(), users, report)
        for story in STORY:
            if Claim.objects.filter(statement=story.statement).exists():
                report.skipped_claims += 1
                continue
            _claim_tell(story, users=users, briefing=briefing, article=article, report=report)
            report.created_claims.append(story.statement)
    return report


def _user_ensure(spec: DemoUser, report: DemoReport) -> AbstractBaseUser:
    User = get_user_model()
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        create = User.objects.create_superuser if spec.superuser else User.objects.create_user
        user = create(
            username=spec.username,
            email=spec.email,
            password=spec.password,
            first_name=spec.first_name,
            last_name=spec.last_name,
            is_staff=True,
        )
        report.created_users.append(spec.username)
    elif not user.is_staff:
        # Without it the demo logins could not open the admin.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if spec.roles:
        user.groups.add(*Group.objects.filter(name__in=spec.roles))
    if spec.expertise:
        profile, _ = ReviewerProfile.objects.get_or_create(user=user)
        profile.expertise.add(*topics_get_or_create(spec.expertise))
    return user


def _article_source(
    path: Path, users: dict[str, AbstractBaseUser], report: DemoReport
) -> Source | None:
    """The seed article as a source, or None (with a note) when it cannot be read or stored.

    The article is an optional extra: nothing about it may stop the rest of the demo loading.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        report.notes.append(f"Seed article not found at {path}; skipping it.")
        return None
    except (OSError, UnicodeDecodeError) as error:
        report.notes.append(f"Seed article at {path} could not be read ({error}); skipping it.")
        return None
    if not text.strip():
        report.notes.append(f"Seed article at {path} is empty; skipping it.")
        return None
    meta = _parse_article(text)
    try:
        # A savepoint, so a refused article leaves the rest of the demo's transaction usable.
        with transaction.atomic():
            result = source_get_or_create(
                actor=users[EDITOR.username],
                title=(meta["title"] or "Seed article")[:500],
                text=text,
                kind=SourceKind.ARTICLE,
                author=meta["author"][:200],
                publisher=meta["publisher"][:200],
            )
    except ValidationError as error:
        report.notes.append(f"Seed article at {path} was refused ({error}); skipping it.")
        return None
    return result.source


def _appearance_in_briefing(briefing: Source, spec: QuoteSpec) -> AppearanceData:
    start = briefing.text.find(spec.quote)
    if start < 0 or briefing.text.find(spec.quote, start + 1) >= 0:
        # A story error, not a runtime condition: fail loudly so it is fixed here.
        raise ValueError(f"Quote must occur exactly once in the briefing: {spec.quote!r}")
    return AppearanceData(
        source=briefing,
        quote=spec.quote,
        start=start,
        speaker=_speaker(spec.speaker),
        attribution=spec.attribution,
        note=spec.note,
    )


def _appearance_in_article(
    article: Source, figure: ArticleFigure, report: DemoReport
) -> AppearanceData | None:
    match = re.search(figure.pattern, article.text)
    if match is None:
        report.notes.append(f"No match for {figure.pattern!r} in the seed article; skipped.")
        return None
    start, end = sentence_around(article.text, match.start(), match.end())
    return AppearanceData(
        source=article,
        quote=article.text[start:end],
        start=start,
        end=end,
        speaker=_speaker(figure.speaker),
        attribution=figure.attribution,
    )


def _speaker(key: str | None) -> Speaker | None:
    if key is None:
        return None
    spec = SPEAKERS[key]
    return speaker_get_or_create(name=spec.name, role=spec.role, kind=spec.kind)


def _claim_tell(
    story: ClaimStory,
    *,
    users: dict[str, AbstractBaseUser],
    briefing: Source,
    article: Source | None,
    report: DemoReport,
) -> Claim:
    """Create one claim and walk it through its steps."""
    appearances = [_appearance_in_briefing(briefing, spec) for spec in story.quotes]
    if article is not None and story.in_article is not None:
        found = _appearance_in_article(article, story.in_article, report)
        if found is not None:
            appearances.append(found)
    claim = claim_create(
        actor=users[story.submitted_by],
        statement=story.statement,
        priority=story.priority,
        topics=topics_get_or_create(story.topics),
        quantities=story.quantities,
        appearances=appearances,
    )
    evidence: dict[str, Evidence] = {}
    for step in story.steps:
        claim = _step_apply(step, claim=claim, users=users, evidence=evidence)
    return claim


def _step_apply(
    step: Step, *, claim: Claim, users: dict[str, AbstractBaseUser], evidence: dict[str, Evidence]
) -> Claim:
    match step:
        case Triage(by=by, note=note):
            return workflow.claim_triage(actor=users[by], claim=claim, note=note)
        case Dismiss(by=by, reason=reason):
            return workflow.claim_dismiss(actor=users[by], claim=claim, reason=reason)
        case Assign(reviewer=name, accept=accept, by=by):
            reviewer = users[name]
            _check_expertise(claim, reviewer)
            assignment = workflow.assignment_create(actor=users[by], claim=claim, reviewer=reviewer)
            if accept:
                workflow.assignment_accept(actor=reviewer, assignment=assignment)
        case AddEvidence():
            evidence[step.key] = workflow.evidence_add(
                actor=users[step.by],
                claim=claim,
                title=step.title,
                stance=step.stance,
                source_reliability=step.reliability,
                credibility=step.credibility,
                url=step.url,
                document_ref=step.document_ref,
                publisher=step.publisher,
                excerpt=step.excerpt,
                origin_key=step.origin_key,
            )
        case SubmitReview(reviewer=name):
            assignment = claim.assignments.get(
                reviewer=users[name], review_round=claim.review_round
            )
            workflow.review_submit(
                actor=users[name],
                assignment=assignment,
                rating=step.rating,
                confidence=step.confidence,
                rationale=step.rationale,
                evidence=[evidence[key] for key in step.cites],
            )
        case Publish(by=by, note=note):
            return workflow.claim_publish(actor=users[by], claim=claim, note=note)
        case _:
            raise TypeError(f"Unknown demo step: {step!r}")
    # Assignments and reviews move the claim inside their services; read where it stands now.
    claim.refresh_from_db()
    return claim


def _check_expertise(claim: Claim, reviewer: AbstractBaseUser) -> None:
    """The story assigns reviewers only to claims on their subjects; say so if it drifts."""
    if not Topic.objects.filter(claims=claim, experts__user=reviewer).exists():
        raise ValueError(
            f"{reviewer.get_username()} has no expertise in the topics of {claim.statement!r}."
        )


def login_lines() -> list[str]:
    """The admin address and the demo logins, one per line, for the command to print."""
    url = f"{settings.DESK_URL.rstrip('/')}/admin/"
    width = max(len(spec.username) for spec in DEMO_USERS)
    pwidth = max(len(spec.password) for spec in DEMO_USERS)
    lines = [f"Admin: {url}"]
    for spec in DEMO_USERS:
        lines.append(f"  {spec.username:<{width}}  {spec.password:<{pwidth}}  {spec.duty}")
    lines.append("Accounts that already existed keep the password they had.")
    return lines
