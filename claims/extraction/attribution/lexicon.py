"""The words attribution reads by, in English, Portuguese and Spanish: speech verbs, titles and
role nouns, organisations' head words, and capitalised words that open a clause but no name."""

from __future__ import annotations

import re

from claims.extraction.lexicon import words

# Verbs of saying, each language's past and present forms. Portuguese and Spanish also put the
# verb before its subject ("disse o ministro", "afirmó la alcaldesa").
SPEECH_VERBS_EN = words(
    "said says say told tells added adds asked contended argued wrote writes insisted warned "
    "explained noted declared stated replied answered estimated estimates reported reports "
    "announced announces claimed claims acknowledged testified tweeted posted confirmed "
    "confirms denied denies cautioned concluded predicted recalled urged stressed emphasised "
    "emphasized conceded admitted countered observed maintained suggested continued agreed "
    "disclosed revealed remarked pointed"
)
SPEECH_VERBS_PT = words(
    "disse diz dizem afirmou afirma declarou declara explicou explica acrescentou acrescenta "
    "ressaltou destacou informou informa anunciou anuncia alertou admitiu negou confirmou "
    "criticou defendeu avaliou argumentou garantiu comentou contou relatou observou frisou "
    "completou concluiu estimou escreveu estima calcula calculou prevê previu reconheceu "
    "apontou sustentou lembrou recordou ponderou disseram afirmaram informaram avalia avaliam "
    "contestou rebateu questionou calculam estimam preveem acusou considerou"
)
SPEECH_VERBS_ES = words(
    "dijo dice dicen afirmó afirma aseguró asegura declaró declara explicó explica añadió "
    "agregó agrega señaló señala indicó indica informó informa anunció anuncia advirtió "
    "sostuvo admitió negó confirmó criticó defendió subrayó destacó recalcó comentó contó "
    "relató estimó escribió manifestó expresó precisó puntualizó estima calcula calculó prevé "
    "previó reconoció apuntó recordó reiteró dijeron afirmaron informaron evalúa evaluó "
    "contestó rebatió cuestionó calculan estiman prevén acusó consideró"
)
SPEECH_VERBS = SPEECH_VERBS_EN | SPEECH_VERBS_PT | SPEECH_VERBS_ES
# Verbs whose speaker may be left out in Portuguese and Spanish ("Dijo que…"): the person last
# named is then the speaker, as with "he said".
SUBJECTLESS_VERBS = (SPEECH_VERBS_PT | SPEECH_VERBS_ES) - words("diz dizem dice dicen")
_VERB_ALT = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
SPEECH = re.compile(rf"(?<![\w-])(?:{_VERB_ALT})(?![\w-])", re.IGNORECASE)

# "according to X": the phrase and what follows it, in each language.
# "segundo" is also an ordinal ("no segundo trimestre", "el segundo turno"): not after an
# article or preposition, nor before a noun of time or rank.
_ORDINAL_BEFORE = "".join(
    rf"(?<!\b{word}\s)" for word in words("o no ao do pelo um seu el al del un su")
)
ACCORDING_TO = re.compile(
    r"(?<![\w-])(?:according\s+to|as\s+reported\s+by|"
    rf"{_ORDINAL_BEFORE}segundo(?!\s+(?:trimestre|semestre|turno|lugar|mandato|tempo|ano|año|"
    r"mês|mes|dia|día|grau|grado|plano|escalão|round))|"
    r"de\s+acordo\s+com|conforme|según|de\s+acuerdo\s+con)\s+(?P<who>[^,.;:“”\"]+)",
    re.IGNORECASE,
)

# "Para o economista Paulo Rabello, …", "Para la ministra, …": an opening "for X," is "according
# to X" in Portuguese and Spanish when X names someone (else it is "for the population, …").
OPENING_FOR = re.compile(
    r"^\W*(?:para|pra)\s+(?P<who>(?:o|a|os|as|el|la|los|las)\s+[^,.;:“”\"]+),", re.IGNORECASE
)

# Titles written before a name; the value is the role it gives ("" for a courtesy title).
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
    "Prof.": "",
    "Sr.": "",
    "Sra.": "",
    "Dra.": "",
}
_TITLE = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))

# Nouns that name a role: a word among these ends the role in "Taliban spokesman Zabihullah
# Mujahid" or "Health Minister Ana Costa", and a later "the spokesman said" points back to it.
ROLE_WORDS = words(
    # English
    "spokesman spokeswoman spokesperson adviser advisor general admiral official minister "
    "secretary commander senator representative congressman congresswoman president director "
    "chief leader analyst professor expert member ambassador aide officer governor mayor "
    "chairman chairwoman chair head founder economist researcher lawyer attorney judge justice "
    "correspondent reporter envoy negotiator diplomat strategist executive superintendent "
    "prosecutor commissioner author scientist epidemiologist doctor physician inspector "
    "chancellor manager owner coach captain sheriff councillor councilman councilwoman "
    "treasurer administrator spokespeople deputy engineer economist investigator "
    "ceo cfo coo chairperson premier speaker lieutenant colonel major sergeant detective "
    "democrat republican marine veteran conservative liberal activist "
    # Portuguese
    "presidente presidenta ministro ministra secretário secretária governador governadora "
    "prefeito prefeita porta-voz diretor diretora deputado deputada senadora juiz juíza "
    "promotor promotora procurador procuradora pesquisador pesquisadora professora "
    "economista especialista chefe delegado delegada comandante coordenador coordenadora "
    "advogado advogada médico médica vereador vereadora gerente analista autor autora "
    "superintendente vice-presidente vice-presidenta conselheiro conselheira líder "
    "governante mandatário mandatária parlamentar dirigente "
    # Spanish
    "secretario gobernador gobernadora alcalde alcaldesa portavoz vocero vocera "
    "director directora diputado diputada juez jueza fiscal investigador investigadora "
    "profesor jefe jefa coordinador coordinadora abogado abogada concejal gerente "
    "canciller vicepresidente vicepresidenta consejero consejera lider gobernante mandatario "
    "mandataria parlamentario parlamentaria funcionario funcionaria"
)
ROLE_NOUN = re.compile(
    r"(?<![\w-])(?:" + "|".join(sorted(ROLE_WORDS, key=len, reverse=True)) + r")s?(?![\w-])",
    re.IGNORECASE,
)

# The head word of an organisation's name, in each language; an all-capitals acronym ("WHO",
# "CDC") is an organisation too.
ORG_WORDS = words(
    # English
    "ministry department agency council office government army police commission committee "
    "bureau institute organization organisation authority authorities military university "
    "court party company corporation corp inc ltd group association union bank federation "
    "foundation service services board administration center centre agency hospital "
    "reuters press network league coalition alliance fund trust society tribunal parliament "
    "congress senate cabinet embassy secretariat pentagon kremlin prosecutors firm airline "
    "airlines laboratory lab school college network house guard"
    # the last word of many companies' names
    " energy motors foods pharmaceuticals pharma holdings industries technologies systems "
    "partners capital insurance logistics airways railways mining steel telecom media "
    "studios labs solutions enterprises"
    # Portuguese
    " ministério secretaria governo polícia prefeitura agência instituto tribunal supremo "
    "banco empresa fundação universidade conselho comissão câmara assembleia exército "
    "procuradoria defensoria departamento associação sindicato partido entidade organização "
    "instituição órgão observatório confederação federação consultoria consultora"
    # Spanish
    " ministerio secretaría gobierno policía ayuntamiento agencia tribunal banco empresa "
    "fundación universidad consejo comisión cámara asamblea ejército fiscalía procuraduría "
    "departamento asociación sindicato partido alcaldía entidad organización institución "
    "organismo observatorio confederación federación consultoría"
)
ORG_SINGLE = words("Pentagon Kremlin Reuters Bloomberg Eurostat Interpol Frontex Itamaraty")

# Capitalised words that open a sentence or clause but never a name.
NOT_NAMES = words(
    "A An The In On At But And For When If After Before As So Now Here There This That These "
    "Those Many Some Even While With Without Since Until Then Still Yet Or Nor Its His Her Their "
    "Our We They He She It I You Also Asked Last Next Earlier Later Meanwhile However Monday "
    "Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December Officials Experts Analysts Critics "
    "O A Os As Um Uma Em No Na Nos Nas Ele Ela Eles Elas Mas Segundo Já Ainda Também Para "
    "El La Los Las Un Una En Él Ella Ellos Pero Según Ya También Este Esta Esto Ese Esa Isso "
    "Isto De Do Da Del Por Com Con Sem Sin Que Quando Cuando Como Hoje Hoy Ontem Ayer"
)
# Words that make a source vague: "officials said", "fontes disseram".
VAGUE_SOURCE = re.compile(
    r"(?P<who>\b(?:(?i:some|many|several|two|three|other)\s+(?:of\s+)?)?(?:[A-Z][\w’'.]*\s+){0,3}"
    r"(?:officials|aides|analysts|experts|diplomats|sources|people familiar[^,]*|they|critics|"
    r"observers|allies|residents|witnesses|fontes|especialistas|analistas|fuentes|expertos|"
    r"autoridades))\s*,?\s+(?:say|said|report|reported|agree|fear|believe|contend|argue|"
    r"disseram|dizem|afirmaram|dijeron|dicen|afirmaron)\b"
)
PRONOUNS = words("he she He She ele ela Ele Ela él ella Él Ella")
