"""Who a sentence puts a statement in the mouth of, how, and with what hedges.

A news article names its people once, with a role ("Lena Park, a budget analyst at the Civic
Research Institute", "Senator Peter Holt", "Gen. Mark Ode"), then calls them by surname or
pronoun. So the article is read in two passes:

1. :class:`People` collects every person introduced with a title or an appositive role, keyed
   by surname.
2. :func:`attribute` walks the sentences in order. A direct quotation or a speech verb ("said",
   "told", "contended", "estimated", "according to") with a named subject gives the speaker; a
   pronoun subject ("he said") is the person last named outside quotation marks; a sentence
   that is nothing but quotation, or that continues one, keeps the previous quote's speaker;
   institutions ("the state health department") are speakers too. Vague sources ("officials
   say", "his aides report") make the statement *reported* without a speaker.

Hedges the article attaches ("impossible to confirm", "estimated") are kept as a note, also
when the caveat is the next sentence and points back ("…the figures could not be verified").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from claims.extraction.lexicon import words
from claims.models import Attribution, SpeakerKind

TITLES: dict[str, str] = {
    "President": "President",
    "Vice President": "Vice President",
    "Prime Minister": "Prime Minister",
    "Secretary of State": "Secretary of State",
    "Defense Secretary": "Defense Secretary",
    "Foreign Minister": "Foreign Minister",
    "Secretary": "Secretary",
    "Lt. Gen.": "Lieutenant General",
    "Gen.": "General",
    "General": "General",
    "Adm.": "Admiral",
    "Admiral": "Admiral",
    "Col.": "Colonel",
    "Representative": "Representative",
    "Rep.": "Representative",
    "Senator": "Senator",
    "Sen.": "Senator",
    "Governor": "Governor",
    "Gov.": "Governor",
    "Mayor": "Mayor",
    "Chancellor": "Chancellor",
    "Ambassador": "Ambassador",
    "Minister": "Minister",
    "Judge": "Judge",
    "Justice": "Justice",
    "Dr.": "",
    "Mr.": "",
    "Mrs.": "",
    "Ms.": "",
}
_TITLE = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
_NAME_TOKEN = r"(?:[A-Z][a-z]+(?:[-’'][A-Z][a-z]+)*|[A-Z]\.)"
_NAME = rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN})*"
# Capitalised words that open a sentence or clause but never a name.
_NOT_NAMES = words(
    "A An The In On At But And For When If After Before As So Now Here There This That These "
    "Those Many Some Even While With Without Since Until Then Still Yet Or Nor Its His Her Their "
    "Our We They He She It I"
)
ROLE_NOUNS = re.compile(
    r"\b(?:spokes(?:man|woman|person)|advis[eo]r|general|admiral|official|minister|secretary|"
    r"commander|democrat|republican|senator|representative|congress(?:man|woman)|president|"
    r"director|chief|leader|analyst|professor|expert|member|ambassador|aide|officer|marine|"
    r"veteran|governor|mayor|chair(?:man|woman)?|head|founder|economist|researcher|lawyer|judge|"
    r"correspondent|reporter|envoy|negotiator|diplomat|strategist|executive)s?\b",
    re.IGNORECASE,
)
TITLE_NAME = re.compile(
    rf"\b(?P<title>{_TITLE})\s+\[?(?P<name>{_NAME})(?:\]\([^)]*\))?(?:\s+of\s+(?P<of>[A-Z][a-z]+))?"
)
APPOSITIVE_AFTER = re.compile(
    rf"(?P<name>{_NAME}),\s+(?P<role>(?:a|an|the)\s+[^,;:“”\"()]+?)(?=\s+who\b|\s+which\b|[,.;]|$)"
)
APPOSITIVE_BEFORE = re.compile(
    rf"\b(?:the|a|an)\s+(?P<role>[^,;:“”\"()]{{3,80}}?),\s+\[?(?:(?P<title>{_TITLE})\s+)?"
    rf"(?P<name>{_NAME})"
)
SPEECH_VERBS = (
    r"said|says|say|told|tells|added|adds|asked|contended|argued|wrote|insisted|warned|"
    r"explained|noted|declared|stated|replied|answered|estimated|estimates|reported|reports|"
    r"announced|claimed|claims|acknowledged|testified|tweeted|posted"
)
SPEECH = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
ACCORDING_TO = re.compile(r"\baccording to\s+(?:the\s+)?(?P<who>[^,.;]+)", re.IGNORECASE)
PRONOUN_SPEECH = re.compile(
    rf"\b(?P<pronoun>he|she)\s+(?:has\s+|had\s+)?(?:repeatedly\s+|also\s+)?(?:{SPEECH_VERBS})\b",
    re.IGNORECASE,
)
ORGANISATION = re.compile(
    r"(?:\b[Tt]he\s+)?(?P<org>(?:[A-Z][\w’'.-]*\s+){0,4}(?:[a-z]+\s+){0,2}(?:[Mm]inistry|[Dd]epartment|"
    r"[Aa]gency|[Cc]ouncil|[Oo]ffice|[Gg]overnment|[Aa]rmy|[Pp]olice|[Cc]ommission|[Cc]ommittee|"
    r"[Bb]ureau|[Ii]nstitute|[Oo]rgani[sz]ation|[Aa]uthorit(?:y|ies)|Pentagon|Kremlin|"
    r"White House|United Nations|[Mm]ilitary))\s+(?:(?:on|last|this)\s+\w+\s+)?(?:"
    rf"{SPEECH_VERBS})\b"
)
VAGUE_SOURCE = re.compile(
    r"(?P<who>\b(?:(?i:some|many|several|two|three)\s+(?:of\s+)?)?(?:[A-Z][\w’'.]*\s+){0,3}"
    r"(?:officials|aides|analysts|experts|diplomats|sources|people familiar[^,]*|they|critics|"
    r"observers|allies))\s*,?\s+(?:say|said|report|reported|agree|fear|believe|contend|argue)\b"
)
QUOTE_SPAN = re.compile(r"[“\"]([^”\"]*)(?:[”\"]|$)")
HEDGES = (
    "impossible to confirm",
    "impossible to verify",
    "could not be independently verified",
    "could not be independently confirmed",
    "cannot be independently verified",
    "could not be verified",
    "not independently verified",
    "unverified",
    "estimated",
    "reportedly",
    "allegedly",
    "disputed",
    "dispute that",
    "according to",
    "claimed",
)
_POINTS_BACK = re.compile(
    r"\b(?:the|these|those|that|this|its|their)\s+(?:figures?|numbers?|toll|tolls|count|counts|"
    r"estimates?|data|claims?|reports?|ministry|statistics)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SpeakerRef:
    """A person or organisation as the article names it, with the role it gives."""

    name: str
    role: str = ""
    kind: str = SpeakerKind.PERSON


@dataclass(frozen=True)
class AttributionResult:
    attribution: str = Attribution.ASSERTED
    speaker: SpeakerRef | None = None
    note: str = ""
    quoted: bool = False


class People:
    """The people an article introduces, by surname."""

    def __init__(self) -> None:
        self._by_surname: dict[str, SpeakerRef] = {}

    @classmethod
    def from_text(cls, text: str) -> People:
        people = cls()
        for match in TITLE_NAME.finditer(text):
            role = TITLES[match.group("title")]
            if role and match.group("of"):
                role = f"{role} of {match.group('of')}"
            people._add(match.group("name"), role)
        for match in APPOSITIVE_AFTER.finditer(text):
            people._add_appositive(match.group("name"), match.group("role"), text, match.start())
        for match in APPOSITIVE_BEFORE.finditer(text):
            title = TITLES.get(match.group("title") or "", "")
            role = _clean_role(match.group("role"))
            if ROLE_NOUNS.search(role) and len(match.group("name").split()) >= 2:
                people._add(match.group("name"), ", ".join(r for r in (title, role) if r))
        return people

    def _add_appositive(self, name: str, role: str, text: str, start: int) -> None:
        tokens = name.split()
        while tokens and tokens[0] in _NOT_NAMES:
            tokens.pop(0)
        role = _clean_role(role)
        if len(tokens) < 2 or not ROLE_NOUNS.search(role):
            return
        # "Representative Seth Moulton, a Massachusetts Democrat": keep the title too.
        title = re.search(rf"\b(?P<title>{_TITLE})\s+$", text[max(0, start - 25) : start])
        prefix = TITLES.get(title.group("title"), "") if title else ""
        self._add(" ".join(tokens), ", ".join(r for r in (prefix, role) if r))

    def _add(self, name: str, role: str) -> None:
        tokens = name.split()
        while tokens and (tokens[0] in _NOT_NAMES or tokens[0] in TITLES):
            tokens.pop(0)
        if not tokens or tokens[-1].endswith("."):
            return
        surname = tokens[-1]
        known = self._by_surname.get(surname)
        full = " ".join(tokens)
        if known is None:
            self._by_surname[surname] = SpeakerRef(full, role)
            return
        name = full if len(full) > len(known.name) else known.name
        if role and known.role and role not in known.role and known.role not in role:
            role = f"{known.role}, {role}" if len(known.role) < len(role) else known.role
        self._by_surname[surname] = SpeakerRef(
            name, role if len(role) > len(known.role) else known.role
        )

    def get(self, surname: str) -> SpeakerRef | None:
        return self._by_surname.get(surname)

    def mentions(self, text: str) -> list[tuple[int, SpeakerRef]]:
        """(offset, person) for each known person named in ``text``, in order."""
        found = []
        for match in re.finditer(_NAME, text):
            if re.match(r"[’']s\b", text[match.end() :]):
                continue  # "Mr. Biden’s aides" are not Mr. Biden
            tokens = match.group(0).split()
            for token in reversed(tokens):
                person = self._by_surname.get(token)
                if person is not None:
                    found.append((match.start(), person))
                    break
        return found


def _clean_role(role: str) -> str:
    role = re.sub(r"^(?:a|an|the)\s+", "", role.strip())
    return " ".join(role.split()).rstrip(" ,.")


def outside_quotes(sentence: str) -> str:
    """The sentence with quoted words blanked out (offsets kept)."""
    return QUOTE_SPAN.sub(lambda m: " " * len(m.group(0)), sentence)


def _is_quotation(sentence: str) -> bool:
    """Whether the sentence quotes someone (not scare quotes around a phrase)."""
    spans = QUOTE_SPAN.findall(sentence)
    return any(len(span.split()) >= 5 for span in spans)


def _opens_quote(sentence: str) -> bool:
    """An opening mark with no closing one: the quotation runs on into the next sentence."""
    return sentence.count("“") > sentence.count("”") or sentence.count('"') % 2 == 1


def attribute(
    sentences: Sequence[str], paragraphs: Sequence[int], text: str
) -> list[AttributionResult]:
    """The attribution of each sentence, in order (see the module's docstring)."""
    people = People.from_text(text)
    results: list[AttributionResult] = []
    last_person: SpeakerRef | None = None
    last_quote: tuple[int, SpeakerRef | None] | None = None  # (paragraph, speaker)
    in_quote = False
    for index, sentence in enumerate(sentences):
        paragraph = paragraphs[index]
        frame = outside_quotes(sentence)
        only_quote = "“" in sentence or '"' in sentence
        only_quote = only_quote and not frame.strip(' .,;:!?“”"()')
        quoted = in_quote or only_quote or _is_quotation(sentence)
        speaker, attribution = _speaker_in(frame, people, last_person)
        if (
            speaker is None
            and only_quote
            and last_quote
            and paragraph - last_quote[0] <= 1
            and last_quote[1] is not None
        ):
            # Nothing but quotation: the previous quote's speaker goes on talking.
            speaker, attribution = last_quote[1], Attribution.SAID
        if speaker is None and in_quote and last_quote and last_quote[1] is not None:
            speaker, attribution = last_quote[1], Attribution.SAID
        if quoted and speaker is not None:
            last_quote = (paragraph, speaker)
        note = _hedges(sentence, sentences[index + 1] if index + 1 < len(sentences) else "")
        if attribution == Attribution.REPORTED and speaker is None:
            vague = VAGUE_SOURCE.search(frame)
            if vague:
                who = vague.group("who").split()
                while len(who) > 1 and who[0] in _NOT_NAMES - {"Some", "Many"}:
                    who.pop(0)
                source = " ".join(who)
                note = "; ".join(n for n in (f"Attributed to: {source}", note) if n)
        results.append(AttributionResult(attribution, speaker, note, quoted))
        mentioned = people.mentions(frame)
        if mentioned:
            last_person = mentioned[-1][1]
        if speaker is not None and speaker.kind == SpeakerKind.PERSON:
            last_person = speaker
        in_quote = (in_quote or "“" in sentence) and _still_open(sentence, in_quote)
    return results


def _still_open(sentence: str, was_open: bool) -> bool:
    opened = sentence.count("“") + (1 if was_open else 0)
    return opened > sentence.count("”")


def _speaker_in(
    frame: str, people: People, last_person: SpeakerRef | None
) -> tuple[SpeakerRef | None, str]:
    """The speaker the words outside quotation marks name, and how the statement is attributed."""
    according = ACCORDING_TO.search(frame)
    if according:
        who = according.group("who")
        named = people.mentions(who)
        if named:
            return named[0][1], Attribution.SAID
        org = _organisation(who)
        return (org, Attribution.SAID) if org else (None, Attribution.REPORTED)
    org_match = ORGANISATION.search(frame)
    for verb in SPEECH.finditer(frame):
        before, after = frame[: verb.start()], frame[verb.end() :]
        clause = re.split(r"[;:]|\bbut\b|\band\s+(?=[a-z])", before)[-1]
        named = people.mentions(clause)
        if named:
            return named[0][1], Attribution.SAID
        pronoun = PRONOUN_SPEECH.search(frame, max(0, verb.start() - 40), verb.end())
        if pronoun and pronoun.end() == verb.end() and last_person is not None:
            return last_person, Attribution.SAID
        inverted = re.match(rf"\s+(?:(?:{_TITLE})\s+)?(?P<name>{_NAME})", after)
        if inverted:
            named = people.mentions(inverted.group("name"))
            if named:
                return named[0][1], Attribution.SAID
        if org_match and org_match.end() >= verb.end() - 1 and org_match.start() < verb.start():
            org = _organisation(org_match.group("org"))
            if org:
                return org, Attribution.SAID
    if VAGUE_SOURCE.search(frame):
        return None, Attribution.REPORTED
    return None, Attribution.ASSERTED


_INSTITUTION = re.compile(
    r"\b(?:ministry|department|agency|council|office|government|army|police|commission|committee|"
    r"bureau|institute|organi[sz]ation|authorit(?:y|ies)|military|university|court|party)\b",
    re.IGNORECASE,
)


def _organisation(text: str) -> SpeakerRef | None:
    """An institution as the text names it, or None for a document or a vague source."""
    name = re.sub(r"^(?:the|a|an)\s+", "", " ".join(text.split()), flags=re.IGNORECASE)
    name = re.sub(r"\s+(?:on|last|this)\s+\w+$", "", name)
    if not name or not (
        _INSTITUTION.search(name) or re.match(r"[A-Z][a-z]+(?:\s+[A-Z]\w*)*$", name)
    ):
        return None
    return SpeakerRef(name=name, kind=SpeakerKind.ORGANISATION)


def _hedges(sentence: str, following: str) -> str:
    """The hedges in the sentence, and a next sentence that qualifies it ("…so the figures are
    impossible to confirm"), as a note for the reviewer."""
    lower = sentence.lower()
    found = [h for h in HEDGES if h in lower]
    parts = [f"Hedged: {', '.join(repr(h) for h in found)}"] if found else []
    follow_lower = following.lower()
    if following and _POINTS_BACK.search(following) and any(h in follow_lower for h in HEDGES):
        parts.append(f"The article adds: “{' '.join(following.split())}”")
    return ". ".join(parts)
