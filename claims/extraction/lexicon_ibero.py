"""Word lists for figures written in Portuguese and Spanish: scales, currencies, units, months.

Both languages write "3,8" for 3.8 and "1.400" for 1,400. Scales differ by country: Brazil's
"bilhão" is 10⁹, Portugal's "mil milhões" is 10⁹ and its "bilião" 10¹²; Spanish "mil millones"
is 10⁹ and "billón" 10¹². Each entry says which it is.
"""

from __future__ import annotations

from claims.extraction.lexicon import by_word, month_numbers, words
from claims.models import Period

SCALES: dict[str, int] = {
    "mil milhões": 10**9,  # pt-PT
    "mil millones": 10**9,  # es
    "mil": 10**3,
    "milhão": 10**6,
    "milhões": 10**6,
    "millón": 10**6,
    "millones": 10**6,
    "mi": 10**6,  # "R$ 3 mi", Brazilian headlines
    "mm": 10**6,
    "bilhão": 10**9,  # pt-BR
    "bilhões": 10**9,
    "bi": 10**9,
    "bilião": 10**12,  # pt-PT
    "biliões": 10**12,
    "billón": 10**12,  # es
    "billones": 10**12,
    "trilhão": 10**12,  # pt-BR
    "trilhões": 10**12,
}
CURRENCY_SYMBOLS = by_word({"BRL": "r$", "USD": "us$ u$s $", "EUR": "€", "GBP": "£"})
CURRENCY_WORDS = by_word(
    {"BRL": "real reais brl", "USD": "dólar dólares dolar dolares usd", "EUR": "euro euros eur"}
) | {"libras": "GBP"}
DURATION_UNITS = by_word(
    {
        "seconds": "segundos",
        "minutes": "minutos",
        "hours": "hora horas",
        "days": "dia dias día días",
        "weeks": "semana semanas",
        "months": "mês meses mes",
        "years": "ano anos año años",
        "decades": "década décadas",
        "centuries": "século séculos siglo siglos",
    }
)
WEIGHT_UNITS = by_word(
    {
        "t": "tonelada toneladas",
        "kg": "quilo quilos kilo kilos quilogramas kilogramos kg",
        "g": "gramas gramos",
    }
)
OTHER_UNITS = by_word(
    {
        "km": "km quilômetros quilómetros kilómetros",
        "m": "metros",
        "ha": "hectares hectáreas",
        "barrels": "barris barriles",
    }
)
PERIODS: dict[str, str] = {
    "por dia": Period.DAY,
    "ao dia": Period.DAY,
    "por día": Period.DAY,
    "al día": Period.DAY,
    "por semana": Period.WEEK,
    "por mês": Period.MONTH,
    "ao mês": Period.MONTH,
    "por mes": Period.MONTH,
    "al mes": Period.MONTH,
    "por ano": Period.YEAR,
    "ao ano": Period.YEAR,
    "por año": Period.YEAR,
    "al año": Period.YEAR,
    "anuais": Period.YEAR,
    "anuales": Period.YEAR,
    "anual": Period.YEAR,
    "mensal": Period.MONTH,
    "mensais": Period.MONTH,
    "mensual": Period.MONTH,
    "mensuales": Period.MONTH,
    "semanal": Period.WEEK,
    "diário": Period.DAY,
    "diario": Period.DAY,
}
MONTHS = month_numbers(
    ("janeiro", "enero", "jan", "ene"),
    ("fevereiro", "febrero", "fev", "feb"),
    ("março", "marzo", "mar"),
    ("abril", "abr"),
    ("maio", "mayo", "mai", "may"),
    ("junho", "junio", "jun"),
    ("julho", "julio", "jul"),
    ("agosto", "ago"),
    ("setembro", "septiembre", "setiembre", "set", "sep", "sept"),
    ("outubro", "octubre", "out", "oct"),
    ("novembro", "noviembre", "nov"),
    ("dezembro", "diciembre", "dez", "dic"),
)
# Before a figure: it is approximate ("cerca de 10 mil", "más de 300").
APPROXIMATE = (
    "cerca de|quase|aproximadamente|mais de|menos de|pelo menos|no mínimo|até|em torno de|"
    "por volta de|perto de|alrededor de|casi|más de|al menos|por lo menos|unos|unas|hasta|"
    "en torno a|cerca de|aprox\\.?|~"
)
# Before a bare four-digit number: it is a year ("em 2023", "desde 1998", "hasta 2030").
YEAR_BEFORE = "em|no|de|do|desde|até|ano|en|el|del|hasta|año|entre|antes|depois|después|a partir"
# Words after a figure that are not the thing it counts.
NOT_UNITS = words(
    "de do da dos das em no na nos nas que e o a os as um uma en el la los las lo y por para con "
    "com sem sin se su sus seu sua seus suas é es foi fue são son eram eran mais más menos ao aos "
    "à às al del pelo pela como entre sobre até hasta contra por cento ciento pontos puntos vezes "
    "veces primeiro primero segundo terceiro tercero"
)
