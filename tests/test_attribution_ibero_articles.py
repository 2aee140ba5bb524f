"""Who said each sentence of a Portuguese and a Spanish article: the forms a first reading of
such articles got wrong ("Para o economista X, …", "A entidade estima…", "calcula", a role
read across a sentence break)."""

import pytest

from claims.extraction.candidates import extract_candidates
from claims.extraction.documents import Document

# Written for these tests, in the style of a Brazilian and a Spanish wire story.
ARTICLE_PT = """Governo promete R$ 12,5 bilhões para saneamento até 2030

Brasília — O ministro das Cidades, Jader Filho, afirmou nesta terça-feira que o governo vai \
investir R$ 12,5 bilhões em saneamento até 2030. Segundo ele, cerca de 35 milhões de \
brasileiros ainda não têm água tratada.

De acordo com o Instituto Trata Brasil, o país perdeu 37,8% da água distribuída em 2022. A \
entidade estima que o custo dessas perdas chegou a R$ 13,2 bilhões no mesmo ano.

A senadora Tereza Cristina criticou o plano. "O governo já anunciou esse dinheiro três vezes e \
as obras não saíram do papel", declarou a parlamentar.

Para o economista Paulo Rabello, o investimento necessário é maior: segundo ele, seriam \
precisos US$ 1,2 mil milhões por ano durante duas décadas.
"""
ARTICLE_ES = """El Gobierno anuncia 4.500 millones de euros para vivienda pública

Según el Instituto Nacional de Estadística, el alquiler subió un 9,8% en 2023, la mayor \
subida desde que hay registros.

El portavoz del Partido Popular, Borja Sémper, afirmó que el plan llega tarde y recordó que el \
Gobierno prometió 100.000 viviendas en 2021.

La organización Cáritas calcula que 1,3 millones de hogares destinan más del 40% de sus \
ingresos al alquiler.
"""

ARTICLE_PT_2 = """Desmatamento cai 22% em um ano

O deputado federal Nikolas Ferreira contestou os números e disse que mais de 3 milhões de \
hectares foram queimados em 2023. Já o Observatório do Clima avalia que o ritmo é insuficiente.
"""
ARTICLE_ES_2 = """El paro baja al 11,6%

El número de desempleados bajó en 193.400 personas en el segundo trimestre, según la Encuesta \
de Población Activa publicada este viernes por el INE.

La vicepresidenta segunda, Yolanda Díaz, afirmó que los datos son históricos. Sin embargo, el \
líder de la oposición, Alberto Núñez Feijóo, sostuvo que el paro es el doble del europeo.
"""

ARTICLE_PT_3 = """Pensões sobem 4,7%

O Conselho de Ministros aprovou um aumento de 4,7% nas pensões, anunciou a ministra do \
Trabalho, Maria do Rosário Palma Ramalho. Segundo a governante, a medida abrange cerca de 2,8 \
milhões de pensionistas.
"""
ARTICLE_ES_3 = """Remesas récord

El presidente Andrés Manuel López Obrador recibió la cifra en su conferencia matutina. \
"Nuestros paisanos son héroes vivientes", dijo el mandatario.

Según la consultora BBVA Research, alrededor de 4,9 millones de hogares reciben remesas.

Para el economista Gabriel Lozano, de J.P. Morgan, el crecimiento se moderará en 2024.

La senadora Lilly Téllez acusó al Gobierno de atribuirse un mérito ajeno y afirmó que 2 de \
cada 3 migrantes trabajan sin papeles.
"""


def _speakers(article: str) -> dict[str, tuple[str, str, str]]:
    candidates = extract_candidates(Document(text=article, format="text"))
    return {
        c.statement: (c.speaker.name, c.speaker.role, c.speaker.kind)
        for c in candidates
        if c.speaker is not None
    }


def _speaker_of(article: str, opening: str) -> tuple[str, str, str] | None:
    found = [who for statement, who in _speakers(article).items() if opening in statement]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("article", "opening", "speaker"),
    [
        # "Para o economista X, …": X, not the senator named before; "segundo ele" is X too.
        (ARTICLE_PT, "Para o economista", ("Paulo Rabello", "economista", "person")),
        # "A entidade estima": the body named just before.
        (ARTICLE_PT, "A entidade estima", ("Instituto Trata Brasil", "", "organisation")),
        (ARTICLE_PT, "Segundo ele, cerca", ("Jader Filho", "ministro das Cidades", "person")),
        (ARTICLE_PT, '"O governo já anunciou', ("Tereza Cristina", "senadora", "person")),
        # The role is the one before the name, not words of the sentence before ("la mayor
        # subida desde…": "mayor" is a role word in English).
        (
            ARTICLE_ES,
            "El portavoz del Partido Popular",
            ("Borja Sémper", "portavoz del Partido Popular", "person"),
        ),
        (ARTICLE_ES, "La organización Cáritas", ("Cáritas", "", "organisation")),
        # The first speech verb of "contestou os números e disse" has the subject.
        (ARTICLE_PT_2, "O deputado federal", ("Nikolas Ferreira", "deputado", "person")),
        (ARTICLE_PT_2, "Já o Observatório", ("Observatório do Clima", "", "organisation")),
        # "segundo trimestre" is an ordinal, not "according to"; the survey's publisher speaks.
        (ARTICLE_ES_2, "El número de desempleados", ("INE", "", "organisation")),
        (ARTICLE_ES_2, "La vicepresidenta", ("Yolanda Díaz", "vicepresidenta segunda", "person")),
        # "la governante", "el mandatario": the person named last, named before with a role
        # in lower case ("El presidente Andrés Manuel López Obrador").
        (
            ARTICLE_PT_3,
            "Segundo a governante",
            ("Maria do Rosário Palma Ramalho", "ministra do Trabalho", "person"),
        ),
        (
            ARTICLE_ES_3,
            '"Nuestros paisanos',
            ("Andrés Manuel López Obrador", "presidente", "person"),
        ),
        # "la consultora X": a body, whatever its name looks like.
        (ARTICLE_ES_3, "Según la consultora", ("BBVA Research", "", "organisation")),
        # "J.P. Morgan" does not end the sentence.
        (ARTICLE_ES_3, "Para el economista", ("Gabriel Lozano", "economista", "person")),
        (ARTICLE_ES_3, "La senadora", ("Lilly Téllez", "senadora", "person")),
        (
            ARTICLE_ES_2,
            "Sin embargo",
            ("Alberto Núñez Feijóo", "líder de la oposición", "person"),
        ),
    ],
)
def test_speaker_of_each_sentence(article, opening, speaker):
    assert _speaker_of(article, opening) == speaker


def test_an_opening_for_that_names_nobody_is_not_an_attribution():
    article = (
        "Para a população, o plano chega tarde. O governo destinou R$ 3 bilhões ao programa, "
        "disse o ministro Carlos Lupi.\n"
    )
    assert _speaker_of(article, "Para a população") is None
    assert _speaker_of(article, "O governo destinou") == ("Carlos Lupi", "ministro", "person")


def test_dotted_initials_do_not_end_a_sentence():
    statements = [
        c.statement for c in extract_candidates(Document(text=ARTICLE_ES_3, format="text"))
    ]
    assert any(s.startswith("Para el economista") and s.endswith("en 2024.") for s in statements)
