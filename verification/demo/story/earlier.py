"""The desk's earlier checks: short claims on military aid, U.S. politics and weapons that the
aid reviewer rated and editors published, some beside another fact-checker's verdict. They give
her calibration page (``/admin/calibration/<id>/``) enough published claims to show figures
above the minimum (``CALIBRATION_MIN_CLAIMS``, 5): agreement with the published verdicts and
with the other fact-checkers, and a "high" confidence row that was not always upheld (the
editor overruled one), while her three "moderate" reviews stay withheld as too few.

The other fact-checkers here are made up (``factcheck.example``); the desk's own evidence
points at the public records each claim is checked against.
"""

from __future__ import annotations

from claims.models import Attribution
from verification.demo.people import AID_REVIEWER, SIGNOFF_EDITOR
from verification.demo.specs import (
    AddEvidence,
    Assign,
    ClaimStory,
    OtherVerdict,
    Publish,
    QuoteSpec,
    SubmitReview,
    Triage,
)
from verification.models import Stance

OTHER_DESK = "Example Fact Check (demo)"
# Where the earlier claims appear: the desk's digest of the readers' questions it checked.
EARLIER_TITLE = "Readers' questions the desk checked in 2023"
EARLIER_URL = "https://desk.example/readers-questions-2023"


def earlier_check(
    statement: str,
    verdict: tuple[str, str, str, str],  # topic, rating, confidence, the record's stance
    title: str,  # title, publisher and URL of the record checked against
    publisher: str,
    url: str,
    rationale: str,
    other: tuple[str, str] | None = None,  # another fact-checker's words and rating
    overrule: tuple[str, str] | None = None,  # the editor's rating and why
) -> ClaimStory:
    """One claim: triaged, assigned to the aid reviewer, checked against one record, reviewed
    and published by the sign-off editor (who did not review it)."""
    topic, rating, confidence, stance = verdict
    reviewer = AID_REVIEWER.username
    rated, note = overrule or (None, "Checked against the record.")
    steps = [
        Triage(),
        Assign(reviewer),
        AddEvidence(
            key="record",
            by=reviewer,
            title=title,
            publisher=publisher,
            url=url,
            stance=stance,
            grade="A1",
            origin_key=f"demo-earlier:{url}",
        ),
        SubmitReview(reviewer, rating, confidence, rationale, cites=("record",)),
        Publish(by=SIGNOFF_EDITOR.username, note=note, rating=rated),
    ]
    if other is not None:
        words, their_rating = other
        slug = statement.split()[1].lower().strip(".,")
        their_url = f"https://factcheck.example/{slug}-{their_rating}"
        steps.append(OtherVerdict(OTHER_DESK, words, their_rating, their_url))
    quote = QuoteSpec(statement, attribution=Attribution.REPORTED, source="earlier")
    return ClaimStory(statement=statement, topics=(topic,), quotes=(quote,), steps=tuple(steps))


# The checks, one row each: statement; topic, rating, confidence and the record's stance; the
# record's title, publisher and URL; the rationale; another fact-checker's words and rating;
# the editor's rating and why, when the editor overruled the review.
EARLIER_CHECKS = (
    (
        "The 2016 U.S.-Israel memorandum of understanding covers fiscal years 2019 to 2028.",
        ("Military aid", "true", "high", Stance.SUPPORTS),
        "Fact sheet: Memorandum of Understanding reached with Israel",
        "The White House (archived)",
        "https://obamawhitehouse.archives.gov/the-press-office/2016/09/14/"
        "fact-sheet-memorandum-understanding-reached-israel",
        "The fact sheet gives the memorandum's span as FY2019 through FY2028.",
        ("True", "true"),
    ),
    (
        "Congress must be told before a major U.S. arms sale to a foreign government goes ahead.",
        ("U.S. politics", "true", "high", Stance.SUPPORTS),
        "Arms Export Control Act, section 36 (22 U.S.C. 2776)",
        "U.S. Code",
        "https://www.law.cornell.edu/uscode/text/22/2776",
        "Section 36 requires formal notification of major sales before they proceed.",
        ("Correct", "true"),
    ),
    (
        "Every U.S. arms sale to Israel needs a vote in Congress.",
        ("U.S. politics", "mostly_false", "moderate", Stance.REFUTES),
        "Arms sales: congressional review process (CRS report RL31675)",
        "Congressional Research Service",
        "https://crsreports.congress.gov/product/pdf/RL/RL31675",
        "Congress is notified and may block a sale by joint resolution; no vote is "
        "needed for a sale to go ahead.",
        ("Misleading", "mostly_false"),
        ("false", "No vote is required at all; the claim is wrong, not half right."),
    ),
    (
        "The Army Tactical Missile System can strike targets up to about 300 kilometres away.",
        ("Weapons", "true", "high", Stance.SUPPORTS),
        "Army Tactical Missile System (ATACMS)",
        "U.S. Army Acquisition Support Center",
        "https://asc.army.mil/web/portfolio-item/ms-atacms-blocks-i-and-ia/",
        "The Army gives the longest-range variant's reach as about 300 km.",
        ("True", "true"),
    ),
    (
        "The F-16 fighter jet first flew in the 1970s.",
        ("Weapons", "true", "high", Stance.SUPPORTS),
        "F-16 Fighting Falcon fact sheet",
        "U.S. Air Force",
        "https://www.af.mil/About-Us/Fact-Sheets/Display/Article/104505/",
        "The fact sheet dates the first flight to 1974 (the prototype, in January).",
    ),
    (
        "U.S. military aid pays for more than half of Israel's defence budget.",
        ("Military aid", "false", "high", Stance.REFUTES),
        "Military expenditure database",
        "Stockholm International Peace Research Institute",
        "https://www.sipri.org/databases/milex",
        "$3.8 billion a year is under a fifth of Israel's military spending, which "
        "SIPRI puts above $20 billion.",
        ("False", "false"),
    ),
    (
        "The Patriot air-defence system was first used in combat in Ukraine in 2022.",
        ("Weapons", "mostly_false", "high", Stance.REFUTES),
        "Patriot air and missile defence system",
        "RTX (Raytheon)",
        "https://www.rtx.com/raytheon/what-we-do/integrated-air-and-missile-defense/patriot",
        "Patriot batteries fired in combat in the 1991 Gulf War; Ukraine's use came "
        "three decades later.",
        ("False", "false"),
        ("false", "Thirty years off is not mostly false: the first use was in 1991."),
    ),
    (
        "The United States gives Ukraine more military aid than all European countries combined.",
        ("Military aid", "mixed", "moderate", Stance.CONTEXT),
        "Ukraine Support Tracker",
        "Kiel Institute for the World Economy",
        "https://www.ifw-kiel.de/topics/war-against-ukraine/ukraine-support-tracker/",
        "It depends on what is counted: U.S. military aid alone led for most of "
        "2023, but European commitments together came close and overtook it by some measures.",
        ("Needs context", "mixed"),
    ),
    (
        "Ukraine received its first U.S. Abrams tanks in 2023.",
        ("Weapons", "true", "moderate", Stance.SUPPORTS),
        "Remarks on the arrival of Abrams tanks in Ukraine, September 2023",
        "U.S. Department of Defense",
        "https://www.defense.gov/News/",
        "The first tanks arrived in September 2023, as both governments said.",
    ),
)
EARLIER: tuple[ClaimStory, ...] = tuple(earlier_check(*row) for row in EARLIER_CHECKS)

EARLIER_TEXT = (
    "Readers asked the desk to check these statements; each was checked and published.\n\n"
    + "\n".join(f"- {story.statement}" for story in EARLIER)
)
