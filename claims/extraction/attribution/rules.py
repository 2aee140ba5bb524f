"""The rules that find who each sentence puts a statement in the mouth of.

:func:`attribute` walks the sentences in order with :class:`People` (everyone named so far). In
the words outside quotation marks: "according to X" (or a vague source: *reported*); else for
each speech verb the phrase before it ("Health Minister Ana Costa said"), an appositive ("X, the
…, said"), the phrase after it ("said Silvia Martins"), or for a pt/es verb without subject the
person last named; else a quotation that goes on keeps its speaker. A phrase naming nobody new
("the spokesman", "she") is resolved against :class:`People`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from claims.extraction.attribution.hedges import hedges
from claims.extraction.attribution.lexicon import (
    ACCORDING_TO,
    NOT_NAMES,
    OPENING_FOR,
    SPEECH,
    SUBJECTLESS_VERBS,
    VAGUE_SOURCE,
)
from claims.extraction.attribution.people import People, SpeakerRef
from claims.extraction.attribution.phrases import Phrase, clean_role, phrase_after, phrase_before
from claims.models import Attribution, SpeakerKind

QUOTE_SPAN = re.compile(r"[“\"]([^”\"]*)(?:[”\"]|$)")
# Words between a speaker and the verb, or after the verb before the speaker, that are neither.
_ADVERBIAL_END = re.compile(
    r"(?:\s+(?:also|has|had|have|later|then|previously|repeatedly|once|recently|again|"
    r"further|had\s+earlier|also\s+has|ainda|também|tambem|también|já|ya|ha|havia|hoy|hoje|"
    r"ontem|ayer|on\s+\w+day|last\s+\w+|this\s+\w+|earlier))+\s*$",
    re.IGNORECASE,
)
_APPOSITIVE_SUBJECT = re.compile(r"(?P<head>[^,]*),\s+(?P<mid>[^,“”\"]{2,160}?),\s*$")
_NAME_ONLY = re.compile(r"(?:(?:[A-ZÀ-Þ][\w’'.-]*|de|da|do|dos|das|del|van|von|der|bin|al)\s*)+")
# "according to figures from X", "segundo dados do X", "según un informe de X": X is the source.
# "según la Encuesta de Población Activa publicada este viernes por el INE": the publisher.
_PUBLISHED_BY = re.compile(
    r"\b(?:published|released|issued|publicad[oa]s?|divulgad[oa]s?|difundid[oa]s?)\b[^,;]*?"
    r"\b(?:by|por|pelo|pela|pelos|pelas)\s+(?P<by>.+)$",
    re.IGNORECASE,
)
_DOCUMENT_OF = re.compile(
    r"^\s*(?:(?:the|a|an|new|latest|o|os|um|uma|el|los|un|una)\s+)?(?:data|figures|statistics|"
    r"estimates|numbers|a\s+report|report|statement|study|survey|documents?|dados|números|"
    r"estimativas|relatório|nota|levantamento|pesquisa|datos|cifras|informe|comunicado|"
    r"estudio|encuesta)\s+(?:released\s+|published\s+|compiled\s+)?(?:from|by|of|do|da|dos|"
    r"das|de|del)\s+",
    re.IGNORECASE,
)
# A day between a verb and the speaker after it ("said on Monday the minister", "disse ontem").
_WHEN = re.compile(r"^\s*(?:on\s+\w+day|ontem|ayer|hoy|hoje),?")
_CLAUSE_BREAK = re.compile(r"[;:]|\bbut\b|\bwhile\b|\bmas\b|\bpero\b|\band\s+(?=[a-z])")


class Cue:
    """How the speaker was found (stored with each attributed statement)."""

    ACCORDING_TO = "according_to"
    SUBJECT = "subject"  # "X said"
    INVERTED = "inverted"  # "said X"
    APPOSITIVE = "appositive"  # "X, the …, said"
    REFERENCE = "reference"  # a surname, a pronoun or a role pointing back ("he said")
    QUOTE = "quote"  # a quotation that goes on from the previous one
    NLP = "nlp"  # the spaCy path's dependency parse
    TRANSCRIPT = "transcript"  # the transcript's speaker label (claims.extraction.transcripts)


@dataclass(frozen=True)
class AttributionResult:
    attribution: str = Attribution.ASSERTED
    speaker: SpeakerRef | None = None
    note: str = ""
    quoted: bool = False
    cue: str = ""


def outside_quotes(sentence: str) -> str:
    """The sentence with quoted words blanked out (offsets kept)."""
    return QUOTE_SPAN.sub(lambda m: " " * len(m.group(0)), sentence)


def _frame(sentence: str, in_quote: bool) -> str:
    """The words outside quotation marks, for a sentence that may open inside a quotation
    begun in an earlier sentence."""
    if not in_quote:
        return outside_quotes(sentence)
    close = min((i for i in (sentence.find("”"), sentence.find('"')) if i >= 0), default=-1)
    if close < 0:
        return " " * len(sentence)
    return " " * (close + 1) + outside_quotes(sentence[close + 1 :])


def _is_quotation(sentence: str) -> bool:
    """Whether the sentence quotes someone (not scare quotes around a phrase)."""
    return any(len(span.split()) >= 5 for span in QUOTE_SPAN.findall(sentence))


def attribute(
    sentences: Sequence[str],
    paragraphs: Sequence[int],
    text: str,
    people: People | None = None,
    *,
    named: Sequence[Sequence[SpeakerRef]] | None = None,
    parsed: Sequence[SpeakerRef | None] | None = None,
) -> list[AttributionResult]:
    """The attribution of each sentence, in order (module docstring). The spaCy path
    (:mod:`.nlp`) gives ``named`` (introduced to ``people`` before each sentence is read) and
    ``parsed`` (the parse's speaker, used where the rules find none)."""
    people = people or People.from_text(text)
    results: list[AttributionResult] = []
    last_quote: tuple[int, SpeakerRef | None] | None = None  # (paragraph, speaker)
    in_quote = False
    pending: list[int] = []
    for index, sentence in enumerate(sentences):
        paragraph = paragraphs[index]
        frame = _frame(sentence, in_quote)
        only_quote = ("“" in sentence or '"' in sentence) and not frame.strip(' .,;:!?“”"()—–-')
        quoted = in_quote or only_quote or _is_quotation(sentence)
        for ref in named[index] if named else ():
            if ref.kind == SpeakerKind.PERSON and " " in ref.name:
                people.add(ref.name)
            elif ref.kind != SpeakerKind.PERSON and frame.find(ref.name) >= 0:
                people.add_organisation(ref.name)
        speaker, attribution, cue = speaker_in(frame, people)
        if speaker is None and parsed and parsed[index] is not None:
            found = parsed[index]
            assert found is not None
            if frame.find(found.name) >= 0:
                speaker = resolve(Phrase(found.name, kind=found.kind), people)
                attribution, cue = Attribution.SAID, Cue.NLP
        continues = last_quote is not None and last_quote[1] is not None
        if speaker is None and continues and (in_quote or only_quote):
            assert last_quote is not None
            if in_quote or paragraph - last_quote[0] <= 1:
                # Nothing but quotation: the previous quote's speaker goes on talking.
                speaker, attribution, cue = last_quote[1], Attribution.SAID, Cue.QUOTE
        if quoted and speaker is not None:
            last_quote = (paragraph, speaker)
        note = hedges(sentence, sentences[index + 1] if index + 1 < len(sentences) else "")
        if attribution == Attribution.REPORTED and speaker is None:
            vague = VAGUE_SOURCE.search(frame)
            if vague:
                who = vague.group("who").split()
                while len(who) > 1 and who[0] in NOT_NAMES - {"Some", "Many"}:
                    who.pop(0)
                note = "; ".join(n for n in (f"Attributed to: {' '.join(who)}", note) if n)
        results.append(AttributionResult(attribution, speaker, note, quoted, cue))
        opens_here = _still_open(sentence, in_quote)
        if speaker is None and (in_quote or opens_here):
            pending.append(index)  # inside a quotation whose speaker may come at its end
        elif speaker is not None and in_quote:
            # "“The first year was the hardest. … Now we have both,” said Lucas Moreau."
            for earlier in pending:
                results[earlier] = replace(
                    results[earlier], speaker=speaker, attribution=Attribution.SAID, cue=Cue.QUOTE
                )
            pending = []
        if not opens_here:
            pending = []
        mentioned = people.mentions(frame)
        if mentioned and (speaker is None or speaker.kind != SpeakerKind.PERSON):
            people.seen(mentioned[-1][1])
        if speaker is not None:
            people.seen(speaker)
        in_quote = opens_here
    return results


def _still_open(sentence: str, was_open: bool) -> bool:
    """Whether a quotation is open after ``sentence`` (curly marks, or odd straight ones)."""
    if "“" in sentence or "”" in sentence:
        return sentence.count("“") + (1 if was_open else 0) > sentence.count("”")
    return was_open != (sentence.count('"') % 2 == 1)


def speaker_in(frame: str, people: People) -> tuple[SpeakerRef | None, str, str]:
    """The speaker the words outside quotation marks name, the attribution and the cue."""
    opening = OPENING_FOR.match(frame)
    if opening:
        phrase, _ = phrase_after(opening.group("who"))
        found = resolve(phrase, people) if phrase and (phrase.name or phrase.role) else None
        if found is not None:
            return found, Attribution.SAID, Cue.ACCORDING_TO
    according = ACCORDING_TO.search(frame)
    if according:
        who = according.group("who")
        published = _PUBLISHED_BY.search(who)
        who = published.group("by") if published else _DOCUMENT_OF.sub("", who)
        phrase, _ = phrase_after(who)
        if phrase is None or not (phrase.name or phrase.head):
            phrase = phrase_before(who.rstrip())  # "…from the regional coast guard"
        found = resolve(phrase, people)
        if found is not None:
            return found, Attribution.SAID, Cue.ACCORDING_TO
        return None, Attribution.REPORTED, ""
    for verb in SPEECH.finditer(frame):
        before, after = frame[: verb.start()], frame[verb.end() :]
        clause = _CLAUSE_BREAK.split(before)[-1]
        clause = _ADVERBIAL_END.sub("", clause)
        appositive = _appositive_subject(clause)
        if appositive is not None:
            found = resolve(appositive, people)
            if found is not None:
                return found, Attribution.SAID, Cue.APPOSITIVE
        subject = phrase_before(clause.rstrip(" ,"))
        if subject is not None:
            found = resolve(subject, people)
            if found is not None:
                cue = (
                    Cue.REFERENCE if not subject.name or found.name != subject.name else Cue.SUBJECT
                )
                return found, Attribution.SAID, cue
        opens = not clause.strip(" ,—–-") or clause.rstrip().endswith((",", "—", "–"))
        inverted, rest = phrase_after(_WHEN.sub("", after))
        if inverted is not None and (opens or re.match(r"\s*(?:[,.;:!?]|$|on\b|in\b)", rest)):
            found = resolve(inverted, people)
            if found is not None:
                return found, Attribution.SAID, Cue.INVERTED
        if opens and verb.group(0).lower() in SUBJECTLESS_VERBS:
            found = people.latest()
            if found is not None:
                return found, Attribution.SAID, Cue.REFERENCE
    if VAGUE_SOURCE.search(frame):
        return None, Attribution.REPORTED, ""
    return None, Attribution.ASSERTED, ""


def _appositive_subject(clause: str) -> Phrase | None:
    """The speaker of "Name, role, said" or "role, Name, said" ("His challenger, Sofia
    Baptiste, said"; "O ministro da Saúde, Jorge Almeida, disse")."""
    match = _APPOSITIVE_SUBJECT.search(clause)
    if match is None or SPEECH.search(match.group("mid")):
        return None
    head, mid = match.group("head"), match.group("mid").strip()
    if _NAME_ONLY.fullmatch(mid) and mid[:1].isupper():
        named = phrase_before(mid)
        if named is None or not named.name or named.kind != SpeakerKind.PERSON:
            return None
        role = phrase_before(head)
        if role is None or not (role.role or role.kind == SpeakerKind.ORGANISATION):
            return named if role is not None and role.head else None
        return Phrase(named.name, named.role or role.role or role.name, named.kind)
    named = phrase_before(head)
    if named is None or not named.name:
        return None
    role = clean_role(mid)
    if re.fullmatch(r"\d+", role) or role.startswith(("who ", "que ")):
        role = ""
    return Phrase(named.name, named.role or role, named.kind)


def resolve(phrase: Phrase | None, people: People) -> SpeakerRef | None:
    """The speaker a phrase names, looked up among those named before (module docstring)."""
    if phrase is None:
        return None
    if phrase.pronoun:
        return people.latest()
    if phrase.kind == SpeakerKind.ORGANISATION:
        if phrase.name and phrase.head and phrase.name.islower():
            # "the federal agency said" after the agency was named: that agency.
            known = people.by_head(phrase, named_only=True)
            return known or people.add_organisation(phrase.name)
        if phrase.name:
            return people.add_organisation(phrase.name)
        return people.by_head(phrase)
    if not phrase.name:
        return people.by_head(phrase)
    tokens = phrase.name.split()
    if len(tokens) == 1:
        known = people.get(tokens[0])
        if known is not None:
            return known
        if phrase.role:
            return SpeakerRef(phrase.name, phrase.role)
        # A lone unknown capitalised word ("Pfizer said") is more often a body than a person,
        # and may be the short name of one named in full before ("Calloway Logistics").
        return people.body_starting(phrase.name) or people.add_organisation(phrase.name)
    known = people.get(tokens[-1])
    if known is not None and known.name.casefold().endswith(phrase.name.casefold()):
        # The role this sentence gives joins the one the article gave before.
        return people.add(known.name, phrase.role) or known
    return SpeakerRef(phrase.name, phrase.role)
