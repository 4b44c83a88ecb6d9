"""Words of quantities in English, German, French and Spanish: scales, currencies, units, fractions.

Keys are case-folded; currency and unit values are the normalised unit names a ``Figure`` carries
(ISO 4217 codes for money, ``%`` and ``pp`` for percentages and percentage points, SI-style symbols
for measures).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from storyline.understand.timex import words

__all__ = [
    "CURRENCY_SYMBOLS",
    "CURRENCY_WORDS",
    "FRACTIONS",
    "NOT_A_FIGURE_BEFORE",
    "PERCENT_WORDS",
    "SCALE_SUFFIXES",
    "SCALE_WORDS",
    "STOPWORDS",
    "TIME_UNITS",
    "UNIT_WORDS",
]

LOGGER = logging.getLogger(__name__)


def _forms(spec: Mapping[str, object]) -> dict[str, object]:
    return {form: value for key, value in spec.items() for form in key.split("|")}


SCALE_WORDS: dict[str, object] = _forms({
    "thousand|thousands|tausend|mille|mil": 1e3,
    "million|millions|mio|mio.|millionen|millón|millones": 1e6,
    "billion|billions|milliarde|milliarden|mrd|mrd.|milliard|milliards|md|mds|mil millones": 1e9,
    "trillion|trillions|billionen|billón|billones": 1e12,
    "dozen|dozens|dutzend|douzaine|docena": 12.0,
})  # fmt: skip
"""Scale words after a number. German ``Billion`` is 10^12 and handled by language in ``figures``."""

SCALE_SUFFIXES: dict[str, float] = {
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "tn": 1e12,
    "tr": 1e12,
}
"""Suffixes glued to an amount of money: ``€50m``, ``$1.2bn``."""

CURRENCY_SYMBOLS: dict[str, str] = {
    "us$": "USD", "$": "USD", "c$": "CAD", "a$": "AUD", "hk$": "HKD", "nz$": "NZD", "€": "EUR",
    "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "usd": "USD", "eur": "EUR", "gbp": "GBP",
    "chf": "CHF", "jpy": "JPY", "cny": "CNY", "rmb": "CNY", "sfr": "CHF", "fr.": "CHF",
}  # fmt: skip

CURRENCY_WORDS: dict[str, object] = _forms({
    "dollar|dollars|us-dollar|dólar|dólares|dollari": "USD",
    "euro|euros|eur": "EUR",
    "pound|pounds|pound sterling|pounds sterling|sterling|pfund|libras|livres sterling": "GBP",
    "yen": "JPY", "yuan|renminbi": "CNY", "rupee|rupees|rupien": "INR",
    "rouble|roubles|ruble|rubles|rubel|roubles": "RUB",
    "swiss franc|swiss francs|franken|francs suisses": "CHF", "lira|lire|liras": "TRY",
})  # fmt: skip

PERCENT_WORDS: dict[str, str] = {
    "%": "%", "percent": "%", "per cent": "%", "pct": "%", "prozent": "%", "pour cent": "%",
    "por ciento": "%", "percentage point": "pp", "percentage points": "pp", "prozentpunkte": "pp",
    "prozentpunkten": "pp", "points de pourcentage": "pp", "point de pourcentage": "pp",
    "puntos porcentuales": "pp", "punto porcentual": "pp",
}  # fmt: skip

UNIT_WORDS: dict[str, object] = _forms({
    "km|kilometre|kilometres|kilometer|kilometers|kilomètre|kilomètres|kilómetro|kilómetros": "km",
    "mile|miles|meile|meilen|milla|millas": "mi",
    "kg|kilogram|kilograms|kilogramme|kilogrammes|kilogramm|kilo|kilos": "kg",
    "tonne|tonnes|ton|tons|tonnen|tonelada|toneladas": "t",
    "barrel|barrels|barrel per day|barrels per day|bpd|fass|barils|barriles": "bbl",
    "square kilometres|square kilometers|sq km|km2|km²|quadratkilometer|kilomètres carrés": "km2",
    "hectare|hectares|hektar|ha": "ha",
    "litre|litres|liter|liters|litro|litros": "l",
    "mw|megawatt|megawatts|megavatios": "MW", "gw|gigawatt|gigawatts": "GW",
    "degrees|degree|grad|degrés|grados": "°",
})  # fmt: skip

TIME_UNITS: frozenset[str] = words(
    """second seconds minute minutes hour hours day days night nights week weeks weekend weekends
    month months quarter quarters year years decade decades century centuries
    sekunde sekunden minute minuten stunde stunden tag tage tagen woche wochen monat monate monaten
    jahr jahre jahren jahrzehnt jahrzehnte jahrzehnten jahrhundert jahrhunderte quartal quartale
    seconde secondes heure heures jour jours semaine semaines mois an ans année années décennie
    décennies siècle siècles trimestre trimestres
    segundo segundos minuto minutos hora horas día días semana semanas mes meses año años década
    décadas siglo siglos"""
)
"""A number of these is a duration (a time expression), not a figure."""

FRACTIONS: dict[str, object] = _forms({
    "half|halves|hälfte|moitié|mitad": 0.5,
    "third|thirds|drittel|tiers|tercio|tercios": 1 / 3,
    "quarter|quarters|viertel|quart|quarts|cuarto|cuartos": 0.25,
    "fifth|fifths|fünftel|cinquième|cinquièmes|quinto|quintos": 0.2,
    "tenth|tenths|zehntel|dixième|dixièmes|décimo|décimos": 0.1,
})  # fmt: skip

STOPWORDS: dict[str, frozenset[str]] = {
    "en": words(
        """of in on at to for from by with and or but that which who whom whose were was is are be
        been have has had will would could should may might the a an this these those their his her
        its our your my as than into over under after before per each said says including while when
        where since until during against between among about also who's not no more less out up
        down off it they he she we there here s due each apiece ago later earlier alone too so such only
        just even still yet already now then"""
    ),
    "de": words(
        """in im am an auf für von vom mit und oder aber der die das den dem des ein eine einer einem
        zu zur zum bei nach aus ist sind war waren wurden wird werden hat haben hatte als pro je
        wie sowie auch nicht noch mehr weniger über unter gegen seit bis um durch es sie er wir"""
    ),
    "fr": words(
        """de des du d la le les l en à au aux et ou pour par sur dans avec qui que sont est ont a été
        sera ne pas plus moins selon contre entre depuis chez sous vers il elle ils elles on ce cette
        ces son sa ses leur leurs un une"""
    ),
    "es": words(
        """de del la el los las en a al y o para por con que son es han ha fueron fue será no más menos
        según contra entre desde hasta sobre sin su sus un una unos unas este esta estos estas se
        lo"""
    ),
}

NOT_A_FIGURE_BEFORE: frozenset[str] = words(
    """article art art. section sec paragraph chapter page pages no no. nr nr. number resolution
    flight route room rule amendment title protocol clause item level stage grade phase act
    artikel absatz kapitel seite paragraf nummer resolution
    article alinéa chapitre numéro résolution page
    artículo apartado capítulo página número resolución"""
)
"""A number right after one of these is a label (``Article 5``), not a quantity."""
