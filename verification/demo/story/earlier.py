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
    *,
    topic: str,
    rating: str,
    confidence: str,
    record: tuple[str, str, str],  # title, publisher, URL of the record checked against
    rationale: str,
    stance: str = Stance.SUPPORTS,
    other: tuple[str, str] | None = None,  # another fact-checker's words and rating
    overrule: tuple[str, str] | None = None,  # the editor's rating and why
) -> ClaimStory:
    """One claim: triaged, assigned to the aid reviewer, checked against one record, reviewed
    and published by the sign-off editor (who did not review it)."""
    slug = statement.split()[1].lower().strip(".,")
    title, publisher, url = record
    steps = [
        Triage(),
        Assign(AID_REVIEWER.username),
        AddEvidence(
            key="record",
            by=AID_REVIEWER.username,
            title=title,
            publisher=publisher,
            url=url,
            stance=stance,
            grade="A1",
            origin_key=f"demo-earlier:{url}",
        ),
        SubmitReview(
            AID_REVIEWER.username,
            rating=rating,
            confidence=confidence,
            rationale=rationale,
            cites=("record",),
        ),
    ]
    if overrule is None:
        steps.append(Publish(by=SIGNOFF_EDITOR.username, note="Checked against the record."))
    else:
        steps.append(Publish(by=SIGNOFF_EDITOR.username, rating=overrule[0], note=overrule[1]))
    if other is not None:
        words, their_rating = other
        steps.append(
            OtherVerdict(
                publisher=OTHER_DESK,
                rating_text=words,
                rating=their_rating,
                url=f"https://factcheck.example/{slug}-{their_rating}",
            )
        )
    quote = QuoteSpec(statement, attribution=Attribution.REPORTED, source="earlier")
    return ClaimStory(statement=statement, topics=(topic,), quotes=(quote,), steps=tuple(steps))


EARLIER: tuple[ClaimStory, ...] = (
    earlier_check(
        "The 2016 U.S.-Israel memorandum of understanding covers fiscal years 2019 to 2028.",
        topic="Military aid",
        rating="true",
        confidence="high",
        record=(
            "Fact sheet: Memorandum of Understanding reached with Israel",
            "The White House (archived)",
            "https://obamawhitehouse.archives.gov/the-press-office/2016/09/14/"
            "fact-sheet-memorandum-understanding-reached-israel",
        ),
        rationale="The fact sheet gives the memorandum's span as FY2019 through FY2028.",
        other=("True", "true"),
    ),
    earlier_check(
        "Congress must be told before a major U.S. arms sale to a foreign government goes ahead.",
        topic="U.S. politics",
        rating="true",
        confidence="high",
        record=(
            "Arms Export Control Act, section 36 (22 U.S.C. 2776)",
            "U.S. Code",
            "https://www.law.cornell.edu/uscode/text/22/2776",
        ),
        rationale="Section 36 requires formal notification of major sales before they proceed.",
        other=("Correct", "true"),
    ),
    earlier_check(
        "Every U.S. arms sale to Israel needs a vote in Congress.",
        topic="U.S. politics",
        rating="mostly_false",
        confidence="moderate",
        record=(
            "Arms sales: congressional review process (CRS report RL31675)",
            "Congressional Research Service",
            "https://crsreports.congress.gov/product/pdf/RL/RL31675",
        ),
        stance=Stance.REFUTES,
        rationale="Congress is notified and may block a sale by joint resolution; no vote is "
        "needed for a sale to go ahead.",
        other=("Misleading", "mostly_false"),
        overrule=("false", "No vote is required at all; the claim is wrong, not half right."),
    ),
    earlier_check(
        "The Army Tactical Missile System can strike targets up to about 300 kilometres away.",
        topic="Weapons",
        rating="true",
        confidence="high",
        record=(
            "Army Tactical Missile System (ATACMS)",
            "U.S. Army Acquisition Support Center",
            "https://asc.army.mil/web/portfolio-item/ms-atacms-blocks-i-and-ia/",
        ),
        rationale="The Army gives the longest-range variant's reach as about 300 km.",
        other=("True", "true"),
    ),
    earlier_check(
        "The F-16 fighter jet first flew in the 1970s.",
        topic="Weapons",
        rating="true",
        confidence="high",
        record=(
            "F-16 Fighting Falcon fact sheet",
            "U.S. Air Force",
            "https://www.af.mil/About-Us/Fact-Sheets/Display/Article/104505/",
        ),
        rationale="The fact sheet dates the first flight to 1974 (the prototype, in January).",
    ),
    earlier_check(
        "U.S. military aid pays for more than half of Israel's defence budget.",
        topic="Military aid",
        rating="false",
        confidence="high",
        record=(
            "Military expenditure database",
            "Stockholm International Peace Research Institute",
            "https://www.sipri.org/databases/milex",
        ),
        stance=Stance.REFUTES,
        rationale="$3.8 billion a year is under a fifth of Israel's military spending, which "
        "SIPRI puts above $20 billion.",
        other=("False", "false"),
    ),
    earlier_check(
        "The Patriot air-defence system was first used in combat in Ukraine in 2022.",
        topic="Weapons",
        rating="mostly_false",
        confidence="high",
        record=(
            "Patriot air and missile defence system",
            "RTX (Raytheon)",
            "https://www.rtx.com/raytheon/what-we-do/integrated-air-and-missile-defense/patriot",
        ),
        stance=Stance.REFUTES,
        rationale="Patriot batteries fired in combat in the 1991 Gulf War; Ukraine's use came "
        "three decades later.",
        other=("False", "false"),
        overrule=("false", "Thirty years off is not mostly false: the first use was in 1991."),
    ),
    earlier_check(
        "The United States gives Ukraine more military aid than all European countries combined.",
        topic="Military aid",
        rating="mixed",
        confidence="moderate",
        record=(
            "Ukraine Support Tracker",
            "Kiel Institute for the World Economy",
            "https://www.ifw-kiel.de/topics/war-against-ukraine/ukraine-support-tracker/",
        ),
        stance=Stance.CONTEXT,
        rationale="It depends on what is counted: U.S. military aid alone led for most of "
        "2023, but European commitments together came close and overtook it by some measures.",
        other=("Needs context", "mixed"),
    ),
    earlier_check(
        "Ukraine received its first U.S. Abrams tanks in 2023.",
        topic="Weapons",
        rating="true",
        confidence="moderate",
        record=(
            "Remarks on the arrival of Abrams tanks in Ukraine, September 2023",
            "U.S. Department of Defense",
            "https://www.defense.gov/News/",
        ),
        rationale="The first tanks arrived in September 2023, as both governments said.",
    ),
)

EARLIER_TEXT = (
    "Readers asked the desk to check these statements; each was checked and published.\n\n"
    + "\n".join(f"- {story.statement}" for story in EARLIER)
)
