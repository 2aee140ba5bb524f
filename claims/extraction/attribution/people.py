"""The people and organisations an article names, so that later references find them.

An article names its people once, with a role ("Senator Peter Holt"), then by surname, pronoun
or role ("the spokesman added"): :class:`People` holds persons by surname and organisations by
head noun, in the order they were named."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.extraction.attribution.lexicon import (
    _TITLE,
    NOT_NAMES,
    ORG_WORDS,
    ROLE_NOUN,
    ROLE_WORDS,
    TITLES,
)
from claims.extraction.attribution.phrases import PARTICLES, Phrase, clean_role, read
from claims.extraction.attribution.phrases import tokens as split_tokens
from claims.extraction.lexicon import words
from claims.models import SpeakerKind

# "Lena", "McCarthy", "DeSantis", "O’Brien", "Jean-Luc", an initial.
_NAME_TOKEN = r"(?:[A-ZÀ-Þ][a-zß-ÿ]+(?:[A-ZÀ-Þ][a-zß-ÿ]+)?(?:[-’'][A-ZÀ-Þ][a-zß-ÿ]+)*|[A-Z]\.)"
_PARTICLE = r"(?:de|da|do|dos|das|del|van|von|der|van der|bin|al)"
NAME = rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN})*"
TITLE_NAME = re.compile(
    rf"\b(?P<title>{_TITLE})\s+\[?(?P<name>{NAME})(?:\]\([^)]*\))?(?:\s+of\s+(?P<of>[A-Z][a-z]+))?"
)
APPOSITIVE_AFTER = re.compile(
    rf"(?P<name>{NAME}),\s+(?P<role>(?:a|an|the|um|uma|o|a|el|la|un|una)\s+[^,;:“”\"()]+?)"
    r"(?=\s+who\b|\s+which\b|\s+que\b|[,.;]|$)"
)
APPOSITIVE_BEFORE = re.compile(
    # The role stays inside its sentence: no line break, no full stop before a space.
    rf"\b(?i:the|a|an|o|el|la)\s+(?P<role>(?:(?!\.\s)[^,;:“”\"()\n]){{3,80}}?),\s+\[?"
    rf"(?:(?P<title>{_TITLE})\s+)?"
    rf"(?P<name>{NAME})"
)

# A role in lower case just before a name: "el presidente Andrés Manuel López Obrador".
ROLE_NAME = re.compile(
    r"(?<![\w-])(?P<role>"
    + "|".join(sorted((w for w in ROLE_WORDS if w.islower()), key=len, reverse=True))
    + rf")\s+(?P<name>{NAME})"
)

# Nouns a person is referred back to by whatever their office ("o mandatário", "la
# gobernante"): the person named last.
GENERIC_PERSONS = words(
    "governante mandatário mandatária parlamentar dirigente gobernante mandatario mandataria "
    "parlamentario parlamentaria funcionario funcionaria"
)
# Nouns a body is referred back to by whatever it is called ("the company said").
GENERIC_BODIES = words(
    "company firm group organisation organization body empresa grupo compañía entidade entidad "
    "organização organización instituição institución órgão organismo"
)


@dataclass(frozen=True)
class SpeakerRef:
    """A person or organisation as the article names it, with the role it gives."""

    name: str
    role: str = ""
    kind: str = SpeakerKind.PERSON


class People:
    """The people and organisations an article introduces (see the module's docstring)."""

    def __init__(self) -> None:
        self._by_surname: dict[str, SpeakerRef] = {}
        self._order: list[SpeakerRef] = []  # persons and organisations, in naming order
        self._text = ""

    @classmethod
    def from_text(cls, text: str) -> People:
        people = cls()
        people._text = text
        for match in TITLE_NAME.finditer(text):
            role = TITLES[match.group("title")]
            if role and match.group("of"):
                role = f"{role} of {match.group('of')}"
            people.add(match.group("name"), role)
        for match in APPOSITIVE_AFTER.finditer(text):
            people._add_appositive(match.group("name"), match.group("role"), text, match.start())
        for match in APPOSITIVE_BEFORE.finditer(text):
            title = TITLES.get(match.group("title") or "", "")
            role = clean_role(match.group("role"))
            if ROLE_NOUN.search(role) and len(match.group("name").split()) >= 2:
                people.add(match.group("name"), ", ".join(r for r in (title, role) if r))
        for match in ROLE_NAME.finditer(text):
            name = match.group("name").split()
            if len(name) >= 2 and name[0] not in NOT_NAMES:
                people.add(match.group("name"), match.group("role"))
        people._order.clear()  # naming order is the reading order, set as sentences are read
        return people

    def _add_appositive(self, name: str, role: str, text: str, start: int) -> None:
        tokens = name.split()
        while tokens and tokens[0] in NOT_NAMES:
            tokens.pop(0)
        role = clean_role(role)
        if len(tokens) < 2 or not ROLE_NOUN.search(role):
            return
        # "Representative Seth Moulton, a Massachusetts Democrat": keep the title too.
        title = re.search(rf"\b(?P<title>{_TITLE})\s+$", text[max(0, start - 25) : start])
        prefix = TITLES.get(title.group("title"), "") if title else ""
        self.add(" ".join(tokens), ", ".join(r for r in (prefix, role) if r))

    def add(self, name: str, role: str = "") -> SpeakerRef | None:
        """Record a person; the longest name and role given so far are kept."""
        tokens = name.split()
        titles = []
        while len(tokens) > 1 and (
            tokens[0] in NOT_NAMES or tokens[0] in TITLES or tokens[0].lower() in ROLE_WORDS
        ):
            # "Speaker Kevin McCarthy": the title is a role, not part of the name.
            token = tokens.pop(0)
            if token not in NOT_NAMES and TITLES.get(token, token):
                titles.append(TITLES.get(token, token))
        if not tokens or tokens[-1].endswith(".") or tokens[0] in NOT_NAMES:
            return None
        if titles and " ".join(titles) not in role:
            role = ", ".join(r for r in (" ".join(titles), role) if r)
        full = " ".join(tokens)
        known = self._by_surname.get(tokens[-1])
        if known is not None and (known.name in full or full in known.name):
            name = full if len(full) > len(known.name) else known.name
            if role and known.role and role not in known.role and known.role not in role:
                role = f"{known.role}, {role}" if len(known.role) < len(role) else known.role
            ref = SpeakerRef(name, role if len(role) > len(known.role) else known.role)
            stale = known
        else:
            ref, stale = SpeakerRef(full, role), None
        surnames = [t for t in ref.name.split()[1:] if t.lower() not in PARTICLES] or [tokens[-1]]
        for surname in surnames:
            # "Carmen Vidal Ortega" is "Vidal" or "Ortega" later; a surname taken stays taken.
            current = self._by_surname.get(surname)
            if current is None or current == stale or surname == tokens[-1]:
                self._by_surname[surname] = ref
        self._touch(ref, stale)
        return ref

    def add_organisation(self, name: str) -> SpeakerRef:
        ref = next(
            (r for r in self._order if r.kind != SpeakerKind.PERSON and r.name == name), None
        )
        ref = ref or SpeakerRef(name=name, kind=SpeakerKind.ORGANISATION)
        self._touch(ref, None)
        return ref

    def _touch(self, ref: SpeakerRef, stale: SpeakerRef | None) -> None:
        self._order = [r for r in self._order if r not in (ref, stale)] + [ref]

    def get(self, surname: str) -> SpeakerRef | None:
        """The person called ``surname``: one introduced with a role, else the first full name
        in the article that ends with it ("Lakeside County's superintendent, Ruth Abernathy")."""
        known = self._by_surname.get(surname)
        if known is not None or not surname[:1].isupper():
            return known
        for match in re.finditer(rf"(?:{NAME})\s+{re.escape(surname)}(?![\w’'-])", self._text):
            phrase = read(split_tokens(match.group(0)))
            if phrase is None or phrase.kind != SpeakerKind.PERSON or not phrase.name:
                continue
            if " " in phrase.name or phrase.role:
                # "Ruth Abernathy" earlier, or at least "President Harland": a person.
                return self.add(phrase.name, phrase.role)
        return None

    def seen(self, ref: SpeakerRef) -> None:
        """``ref`` was just named: it is now the latest for pronouns and roles."""
        if ref.kind == SpeakerKind.PERSON:
            ref = self.add(ref.name, ref.role) or ref
        self._touch(ref, None)

    def by_head(self, phrase: Phrase, *, named_only: bool = False) -> SpeakerRef | None:
        """The latest one named whose role (a person) or name (an organisation) has the noun a
        reference back is made with: "the spokesman" → the spokesman, "the ministry" → it."""
        for ref in reversed(self._order):
            if ref.kind != phrase.kind:
                continue
            text = (ref.role if ref.kind == SpeakerKind.PERSON else ref.name).lower()
            if re.search(rf"(?<!\w){re.escape(phrase.head)}", text):
                return ref
        if phrase.kind == SpeakerKind.PERSON and phrase.head in GENERIC_PERSONS:
            return self.latest()
        if phrase.kind != SpeakerKind.PERSON and not named_only:
            # "The Environmental Protection Agency proposed…. The agency said": named, not yet
            # quoted; "the company said" after any one body named.
            for named in re.finditer(
                rf"(?:[A-ZÀ-Þ][\w’'-]*\s+(?:(?:of|for|and|de|da|do|del)\s+)?){{1,5}}"
                rf"(?i:{re.escape(phrase.head)})\b",
                self._text,
            ):
                words_ = named.group(0).split()
                while words_ and words_[0] in NOT_NAMES:
                    words_.pop(0)
                if len(words_) >= 2:
                    return self.add_organisation(" ".join(words_))
            if phrase.head in GENERIC_BODIES:
                return self.latest(SpeakerKind.ORGANISATION) or self._first_body()
        return None

    def body_starting(self, word: str) -> SpeakerRef | None:
        """A body named in full earlier whose name starts with ``word`` ("Calloway" →
        "Calloway Logistics"), if the article has one."""
        for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?:\s+{NAME})", self._text):
            words_ = match.group(0).split()
            if words_[-1].lower() in ORG_WORDS:
                return self.add_organisation(" ".join(words_))
        return None

    def _first_body(self) -> SpeakerRef | None:
        """The first capitalised name in the article that ends like a body's ("Greenfield
        Motors", "Halvard Energy"), for "the company said" when no body has spoken yet."""
        for match in re.finditer(rf"{NAME}", self._text):
            words_ = [w for w in match.group(0).split() if w not in NOT_NAMES]
            if len(words_) >= 2 and words_[-1].lower() in ORG_WORDS:
                return self.add_organisation(" ".join(words_))
        return None

    def latest(self, kind: str = SpeakerKind.PERSON) -> SpeakerRef | None:
        return next((r for r in reversed(self._order) if r.kind == kind), None)

    def mentions(self, text: str) -> list[tuple[int, SpeakerRef]]:
        """(offset, person) for each known person named in ``text``, in order."""
        found = []
        for match in re.finditer(NAME, text):
            if re.match(r"[’']s\b", text[match.end() :]):
                continue  # "Mr. Biden’s aides" are not Mr. Biden
            for token in reversed(match.group(0).split()):
                person = self._by_surname.get(token)
                if person is not None:
                    found.append((match.start(), person))
                    break
        return found
