"""Portuguese and Spanish articles ingest as English ones do: language, sentences, figures."""

from decimal import Decimal

import pytest

from claims.extraction.candidates import extract_candidates, ranked
from claims.extraction.documents import Document
from claims.extraction.ingest import source_ingest
from claims.extraction.sentences import split_sentences

# Written for these tests, in the style of a Brazilian and a Spanish wire story.
ARTICLE_PT = """Governo promete R$ 3,8 bilhões para hospitais

O Ministério da Saúde anunciou nesta terça-feira R$ 3,8 bilhões para reformar 1.400 hospitais \
até 2026. A ministra disse que o Sr. Almeida, secretário-executivo, coordenará as obras. \
Segundo a pasta, cerca de 2 milhões de pessoas esperam por cirurgias eletivas no país.

O Dr. Ribeiro, da Universidade de São Paulo, afirmou que o valor é insuficiente. Em 2023, o \
déficit do setor chegou a R$ 25 bilhões, de acordo com o Tribunal de Contas da União.
"""
ARTICLE_ES = """El Gobierno aprueba un plan de 3,8 mil millones de dólares

Las inundaciones de octubre dejaron 1.400 muertos en la región, según el informe oficial \
publicado este lunes. La Sra. Gómez, portavoz del Ministerio, aseguró que el paro bajó al \
11,2% en marzo de 2024. El Gobierno destinará 450 millones de euros al año a la reconstrucción.

Para la Dra. Martín, economista de la Universidad Complutense, la cifra es insuficiente. El \
plan total, de 3,8 mil millones de dólares, se votará el 12 de noviembre.
"""


def test_portuguese_sentences_do_not_break_after_abbreviations():
    body = [s.text for s in split_sentences(ARTICLE_PT, "pt") if not s.heading]
    assert len(body) == 5
    assert body[1].startswith("A ministra disse que o Sr. Almeida")
    assert body[3].startswith("O Dr. Ribeiro")


def test_spanish_sentences_do_not_break_after_abbreviations():
    body = [s.text for s in split_sentences(ARTICLE_ES, "es") if not s.heading]
    assert len(body) == 5
    assert body[1].startswith("La Sra. Gómez")
    assert body[3].startswith("Para la Dra. Martín")


@pytest.mark.parametrize(
    ("article", "figures"),
    [
        (
            ARTICLE_PT,
            {
                ("3800000000", "BRL"),
                ("1400", "hospitais"),
                ("2000000", "pessoas"),
                ("25000000000", "BRL"),
            },
        ),
        (
            ARTICLE_ES,
            {("3800000000", "USD"), ("1400", "muertos"), ("11.2", "%"), ("450000000", "EUR")},
        ),
    ],
)
def test_article_figures_are_read_in_its_language(article, figures):
    candidates = extract_candidates(Document(text=article, format="text"))
    read = {(str(q.value), q.unit) for c in candidates for q in c.quantities}
    assert figures <= read
    # The English reading of "R$ 3,8 bilhões" was 8 and "1.400" was 1.4: neither is left.
    assert not {v for v, _ in read} & {"8", "1.4"}


def test_ranking_puts_a_figure_above_an_opinion():
    order = [c.statement for c in ranked(extract_candidates(Document(ARTICLE_ES, "text")))]
    figure = next(i for i, s in enumerate(order) if "1.400 muertos" in s)
    opinion = next(i for i, s in enumerate(order) if "insuficiente" in s)
    assert figure < opinion


@pytest.mark.django_db
@pytest.mark.parametrize(("article", "language"), [(ARTICLE_PT, "pt"), (ARTICLE_ES, "es")])
def test_ingested_article_records_its_language_and_says_the_scorer_is_english(
    article, language, editor
):
    result = source_ingest(actor=editor, text=article)
    assert result.source.language == language
    assert any("English model" in note for note in result.notes)
    money = [q for claim in result.created for q in claim.quantities.all() if q.kind == "money"]
    assert Decimal("3800000000") in {q.value for q in money}
    # Speakers ("disse", "afirmou", "aseguró") are the attribution module's: not asserted here.


@pytest.mark.django_db
def test_claims_are_filtered_by_language_in_the_api(editor, client):
    source_ingest(actor=editor, text=ARTICLE_PT)
    source_ingest(actor=editor, text=ARTICLE_ES)
    client.force_login(editor)
    portuguese = client.get("/api/v1/claims/", {"language": "pt"}).json()["results"]
    spanish = client.get("/api/v1/claims/", {"language": "es"}).json()["results"]
    assert portuguese and spanish
    assert {c["language"] for c in portuguese} == {"pt"}
    assert {c["language"] for c in spanish} == {"es"}
    sources = client.get("/api/v1/sources/", {"language": "es"}).json()["results"]
    assert len(sources) == 1
