"""Reading the noun phrase that names a speaker ("Taliban spokesman Zabihullah Mujahid", "the
Ministry of Health", "o ministro da Saúde") next to a speech verb into a :class:`Phrase`: the
name, the role before it, and whether it is a person, an organisation or a reference back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.extraction.attribution.lexicon import (
    NOT_NAMES,
    ORG_SINGLE,
    ORG_WORDS,
    PRONOUNS,
    ROLE_WORDS,
    TITLES,
)
from claims.extraction.lexicon import words
from claims.models import SpeakerKind

TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Dr|Mr|Mrs|Ms|Prof|Gen|Lt|Col|Adm|Rep|Sen|Gov|Sr|Sra|Dra|Jr|St)\.|[A-Z]\."
    r"|[^\W\d_](?:[\w’'-]*[^\W_])?|[,;:()]|\d+"
)
DETERMINERS = words("the The a an o O os as um uma el El la La los las un una")
PARTICLES = words(
    "de da do dos das del of for and y e van von der den bin ibn al du di le la las los"
)
# Lower-case words that may stand in a role before a name ("deputy chief prosecutor").
MODIFIERS = words(
    "deputy chief senior former acting lead state national federal regional local interim "
    "assistant associate vice health education foreign finance defense defence justice "
    "interior environment economy trade labor labour public press study's "
    "adjunto adjunta vice- estadual municipal nacional federal regional"
)
SPOKESPEOPLE = words("spokesman spokeswoman spokesperson porta-voz portavoz vocero vocera")
COURTESY = frozenset(t for t, role in TITLES.items() if not role)


@dataclass(frozen=True)
class Phrase:
    """What a run of tokens names: ``name`` (empty for a reference back), ``role``, ``kind``;
    ``head`` is the role or organisation noun a reference back is made with."""

    name: str = ""
    role: str = ""
    kind: str = SpeakerKind.PERSON
    head: str = ""
    pronoun: bool = False


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def _capital(token: str) -> bool:
    return token[:1].isupper() and token not in NOT_NAMES


def _role_word(token: str) -> bool:
    lower = token.lower().rstrip(".")
    return lower in ROLE_WORDS or lower.rstrip("s") in ROLE_WORDS or token in TITLES


def _org_word(token: str) -> bool:
    return token.lower() in ORG_WORDS or token in ORG_SINGLE


def _np_word(token: str) -> bool:
    lower = token.lower()
    return (
        _capital(token)
        or _role_word(token)
        or lower in MODIFIERS
        or lower in ORG_WORDS
        or lower in PARTICLES
    )


_LOWER_BODY = re.compile(
    r"(?:^|\s)(?i:the|o|a|el|la)\s+(?P<body>(?:[a-zß-ÿ][\w’'-]*\s+){0,3}(?P<head>[a-zß-ÿ]+))\s*$"
)


def phrase_before(clause: str) -> Phrase | None:
    """The phrase that ends ``clause`` (the words just before a speech verb)."""
    body = _LOWER_BODY.search(clause)
    if body and body.group("head") in ORG_WORDS:
        # "the regional water board said": a body the article names in lower case.
        words_ = body.group("body").split()
        return Phrase(
            name=" ".join(words_) if len(words_) > 1 else "",
            kind=SpeakerKind.ORGANISATION,
            head=body.group("head"),
        )
    toks = tokens(clause)[-12:]
    if toks and toks[-1] in PRONOUNS:
        return Phrase(pronoun=True)
    taken: list[str] = []
    for token in reversed(toks):
        if not _np_word(token) or token in ",;:()":
            break
        taken.insert(0, token)
    # A particle cannot open the phrase ("of", "de"): it belonged to what came before.
    while taken and taken[0].lower() in PARTICLES:
        taken.pop(0)
    if not taken:
        return None
    index = len(toks) - len(taken)
    definite = index > 0 and toks[index - 1] in DETERMINERS
    return read(taken, definite=definite)


def phrase_after(text: str) -> tuple[Phrase | None, str]:
    """The phrase that opens ``text`` (the words just after a speech verb), and what follows it."""
    match = re.match(r"\s*(?P<det>(?:the|o|a|os|as|el|la|los|las)\s+)?", text)
    assert match is not None
    rest = text[match.end() :]
    taken: list[str] = []
    position = 0
    for token_match in TOKEN.finditer(rest):
        token = token_match.group(0)
        # "disse o ministro da Saúde, João Silva": a role, a comma, then the name.
        named_next = re.match(r",\s*[A-ZÀ-Þ]", rest[token_match.start() :])
        if token == "," and named_next and _role_before_comma(taken):
            taken.append(token)
            position = token_match.end()
            continue
        if not _np_word(token) or token in ",;:()":
            break
        if rest[position : token_match.start()].strip(" ,"):
            break
        taken.append(token)
        position = token_match.end()
    while taken and taken[-1].lower() in PARTICLES:
        taken.pop()
    if not taken:
        return None, rest
    phrase = read(taken, definite=bool(match.group("det")))
    return phrase, rest[position:]


def _role_before_comma(taken: list[str]) -> bool:
    """A role ("o secretário da Fazenda") that a comma and the name may follow."""
    roles = [i for i, t in enumerate(taken) if _role_word(t)]
    if not roles or "," in taken:
        return False
    after = taken[roles[-1] + 1 :]
    return not after or after[0].lower() in PARTICLES


def read(taken: list[str], *, definite: bool = False) -> Phrase | None:
    """Interpret a run of noun-phrase tokens (see the module's docstring)."""
    while taken and (taken[0] in NOT_NAMES or taken[0] in DETERMINERS):
        definite = definite or taken[0] in DETERMINERS
        taken = taken[1:]
    if not taken:
        return None
    if "," in taken:
        split = taken.index(",")
        role_tokens, name_tokens = taken[:split], taken[split + 1 :]
    else:
        split = max((i for i, t in enumerate(taken) if _role_word(t)), default=-1)
        role_tokens, name_tokens = taken[: split + 1], taken[split + 1 :]
    name_tokens = [t for t in name_tokens if t not in COURTESY]
    for_body = bool(name_tokens) and name_tokens[0].lower() in ("for", "do", "da", "del", "de")
    while name_tokens and name_tokens[0].lower() in PARTICLES:
        name_tokens.pop(0)
    if for_body and role_tokens and role_tokens[-1].lower().rstrip("s") in SPOKESPEOPLE:
        # "a spokesperson for Tillman Foods said": the body speaks through them.
        return (
            Phrase(name=_join(name_tokens), kind=SpeakerKind.ORGANISATION) if name_tokens else None
        )
    capitalised = any(_capital(t) for t in name_tokens)
    described_as_body = False
    while capitalised and name_tokens and not _capital(name_tokens[0]):
        # "the mining group Tessaro": a lower-case description before the name; "la
        # consultora BBVA Research": one that says the name is a body's.
        described_as_body = described_as_body or _org_word(name_tokens[0])
        name_tokens = name_tokens[1:]
    if (
        (capitalised and any(_org_word(t) for t in name_tokens))
        or _acronym(name_tokens)
        or described_as_body
    ):
        # "the Ministry of Health", "WHO": the whole run is the organisation's name.
        return Phrase(name=_strip_det(_join(name_tokens)), kind=SpeakerKind.ORGANISATION)
    capitals = [t for t in name_tokens if _capital(t)]
    if capitals:
        role = _role(role_tokens)
        if role_tokens and any(_org_word(t) for t in role_tokens) and not role:
            role = _join(role_tokens)
        return Phrase(name=_person_name(name_tokens), role=role, kind=SpeakerKind.PERSON)
    head = taken[-1].lower()
    if _org_word(taken[-1]):
        words_ = [t for t in taken if t.lower() not in DETERMINERS]
        return Phrase(
            name=_join(words_) if len(words_) > 1 and definite else "",
            kind=SpeakerKind.ORGANISATION,
            head=head,
        )
    if _role_word(taken[-1]):
        return Phrase(role=_join(taken), kind=SpeakerKind.PERSON, head=head.rstrip("s"))
    return None


def _acronym(name_tokens: list[str]) -> bool:
    return len(name_tokens) == 1 and len(name_tokens[0]) >= 2 and name_tokens[0].isupper()


def _role(role_tokens: list[str]) -> str:
    if not role_tokens:
        return ""
    if len(role_tokens) == 1 and role_tokens[0] in TITLES:
        return TITLES[role_tokens[0]]
    return _join(TITLES.get(t, t) for t in role_tokens if t not in COURTESY)


def _person_name(name_tokens: list[str]) -> str:
    # "Peter Holt of Ohio": a person's name stops at "of"; "Lula da Silva" keeps its particle.
    cut: list[str] = []
    for token in name_tokens:
        if token.lower() in ("of", "for", "and"):
            break
        cut.append(token)
    return _join(cut)


def _join(parts: object) -> str:
    return " ".join(parts)  # type: ignore[arg-type]


def _strip_det(name: str) -> str:
    return re.sub(r"^(?:the|The|o|a|el|la)\s+", "", name)


def clean_role(role: str) -> str:
    """A role without its article or a relative clause ("a retired general who was…")."""
    role = re.split(r"\s+(?:who|which|that|whose|que|quien|cuyo|cuja)\s", role, maxsplit=1)[0]
    role = re.sub(r"^(?:a|an|the|um|uma|o|a|el|la|un|una)\s+", "", role.strip())
    return " ".join(role.split()).rstrip(" ,.")
