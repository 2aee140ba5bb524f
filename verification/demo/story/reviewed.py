"""The story's claims the reviewers have worked on: published after two reviewers agreed, in
review with two who disagree, three in research, and one published as false. Quotes are spans
of :mod:`verification.demo.briefing`.
"""

from __future__ import annotations

from claims.models import Attribution, Period, Priority, QuantityKind
from claims.services import QuantityData
from verification.demo.people import (
    AID_REVIEWER,
    EDITOR,
    MIDEAST_REVIEWER,
    SIGNOFF_EDITOR,
    UKRAINE_REVIEWER,
)
from verification.demo.specs import (
    AddEvidence,
    ArticleFigure,
    Assign,
    ClaimStory,
    Publish,
    QuoteSpec,
    SubmitReview,
    Triage,
    said,
)
from verification.models import Stance

MINISTRY_HEDGE = (
    "The ministry is run by Hamas; the briefing notes that its figures cannot be "
    "independently confirmed. The toll does not say how civilians were told apart from fighters."
)

REVIEWED: tuple[ClaimStory, ...] = (
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
                grade="A1",
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
                grade="A1",
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
            said(
                "biden",
                "the attacks of October 7, which killed 1,400 people by the count Biden gave",
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
                grade="B2",
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
                grade="B1",
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
            said(
                "ministry",
                "Israeli bombardment had left around 10,000 Palestinian civilians dead, close "
                "to 4,000 of them children or adolescents",
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
                grade="B3",
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
                grade="C3",
                origin_key="gaza-moh:2023-11-06-toll",
            ),
        ),
    ),
    # In research: accepted by the Ukraine specialist; submitted by another reviewer.
    ClaimStory(
        statement="The United States has supplied Ukraine with ATACMS long-range missiles.",
        topics=("Ukraine war", "Weapons", "Military aid"),
        submitted_by=MIDEAST_REVIEWER.username,
        quotes=(said("officials", "the latest being ATACMS long-range missiles"),),
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
                grade="A1",
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
                grade="A1",
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
                grade="B1",
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
)
