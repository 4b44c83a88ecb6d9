"""Words of time in English, German, French and Spanish: the vocabulary of the timex grammar.

Every map is keyed by the case-folded word; values are what the normaliser needs: a month number,
a weekday (0 = Monday), a TIMEX3 unit code (``Y M W D H MIN S Q DE CE WE``), a part-of-day code
(``MO AF EV NI MI``), a season code (``SP SU FA WI``), a day offset, or a reference value
(``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["LEXICONS", "Lexicon", "lexicon_for"]

LOGGER = logging.getLogger(__name__)


def _forms(spec: Mapping[str, object]) -> dict[str, object]:
    """Expand ``"word|form2|form3": value`` keys into one key per form."""
    return {form: value for key, value in spec.items() for form in key.split("|")}


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The time vocabulary of one language (see the module docstring for the value codes)."""

    lang: str
    months: Mapping[str, object]
    month_abbrevs: Mapping[str, object]
    weekdays: Mapping[str, object]
    units: Mapping[str, object]
    parts_of_day: Mapping[str, object]
    seasons: Mapping[str, object]
    ordinals: Mapping[str, object]
    days: Mapping[str, object]
    last: tuple[str, ...]
    next: tuple[str, ...]
    this: tuple[str, ...]
    refs: Mapping[str, object]
    sets: Mapping[str, object]
    every: tuple[str, ...]
    ago: tuple[str, ...]
    approx: tuple[str, ...]
    fuzzy: Mapping[str, object] = field(default_factory=dict)
    begin: tuple[str, ...] = ()
    middle: tuple[str, ...] = ()
    end: tuple[str, ...] = ()


_UNITS_EN = _forms({
    "second|seconds": "S", "minute|minutes|min": "MIN", "hour|hours|hrs": "H", "day|days": "D",
    "night|nights": "D", "week|weeks": "W", "fortnight|fortnights": "2W", "weekend|weekends": "WE",
    "month|months": "M", "quarter|quarters": "Q", "year|years": "Y", "decade|decades": "DE",
    "century|centuries": "CE", "millennium|millennia": "ML",
})  # fmt: skip
_UNITS_DE = _forms({
    "sekunde|sekunden": "S", "minute|minuten": "MIN", "stunde|stunden": "H", "tag|tage|tagen|tages": "D",
    "nacht|nächte|nächten": "D", "woche|wochen": "W", "wochenende|wochenenden": "WE",
    "monat|monate|monaten|monats": "M", "quartal|quartale|quartalen|quartals": "Q",
    "jahr|jahre|jahren|jahres": "Y", "jahrzehnt|jahrzehnte|jahrzehnten|jahrzehnts": "DE",
    "jahrhundert|jahrhunderte|jahrhunderten|jahrhunderts": "CE",
})  # fmt: skip
_UNITS_FR = _forms({
    "seconde|secondes": "S", "minute|minutes": "MIN", "heure|heures": "H", "jour|jours|journée|journées": "D",
    "nuit|nuits": "D", "semaine|semaines": "W", "week-end|week-ends|weekend": "WE", "mois": "M",
    "trimestre|trimestres": "Q", "an|ans|année|années": "Y", "décennie|décennies": "DE",
    "siècle|siècles": "CE",
})  # fmt: skip
_UNITS_ES = _forms({
    "segundo|segundos": "S", "minuto|minutos": "MIN", "hora|horas": "H", "día|días|jornada|jornadas": "D",
    "noche|noches": "D", "semana|semanas": "W", "fin de semana|fines de semana": "WE", "mes|meses": "M",
    "trimestre|trimestres": "Q", "año|años": "Y", "década|décadas": "DE", "siglo|siglos": "CE",
})  # fmt: skip

_ENGLISH = Lexicon(
    lang="en",
    months=_forms({
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
        "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    }),
    month_abbrevs=_forms({
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep|sept": 9, "oct": 10,
        "nov": 11, "dec": 12,
    }),
    weekdays=_forms({
        "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    }),
    units=_UNITS_EN,
    parts_of_day=_forms({
        "morning|mornings": "MO", "afternoon|afternoons": "AF", "evening|evenings": "EV",
        "night|nights": "NI", "overnight": "NI",
    }),
    seasons=_forms({"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}),
    ordinals=_forms({
        "first|1st": 1, "second|2nd": 2, "third|3rd": 3, "fourth|4th": 4, "fifth|5th": 5,
        "final|last": -1,
    }),
    days=_forms({"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}),
    last=("last", "past", "previous", "preceding", "prior"),
    next=("next", "coming", "following", "upcoming"),
    this=("this", "current", "present", "same"),
    refs=_forms({
        "now|right now|currently|nowadays|these days|at present|presently|at the moment|"
        "the present|current": "PRESENT_REF",
        "recently|lately|the past|in the past|previously|formerly|recent|more recently": "PAST_REF",
        "the future|future|soon|shortly|the near future|the near term|the short term|the long term|"
        "as soon as possible|someday|a later date": "FUTURE_REF",
    }),
    sets=_forms({
        "hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W",
        "monthly": "P1M", "quarterly": "P3M", "yearly": "P1Y", "annually": "P1Y", "annual": "P1Y",
    }),
    every=("every", "each", "per", "a", "an"),
    ago=("ago",),
    approx=(
        "about", "around", "nearly", "almost", "roughly", "approximately", "some", "more than",
        "less than", "at least", "at most", "up to", "over", "under", "no more than", "within",
        "only", "just", "barely", "fewer than", "the better part of",
    ),
    fuzzy=_forms({"several|many|some|a few|few|a couple of|couple of|a number of|numerous": "X"}),
    begin=("early", "the beginning of", "the start of", "the first half of", "beginning of", "start of"),
    middle=("mid", "the middle of", "middle of"),
    end=("late", "the end of", "end of", "the close of", "the second half of"),
)

_GERMAN = Lexicon(
    lang="de",
    months=_forms({
        "januar|jänner": 1, "februar|feber": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
        "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    }),
    month_abbrevs=_forms({
        "jan": 1, "feb": 2, "mär|mrz": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep|sept": 9,
        "okt": 10, "nov": 11, "dez": 12,
    }),
    weekdays=_forms({
        "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4,
        "samstag|sonnabend": 5, "sonntag": 6,
    }),
    units=_UNITS_DE,
    parts_of_day=_forms({
        "morgen|früh|vormittag": "MO", "mittag": "MI", "nachmittag": "AF", "abend": "EV", "nacht": "NI",
    }),
    seasons=_forms({"frühling|frühjahr": "SP", "sommer": "SU", "herbst": "FA", "winter": "WI"}),
    ordinals=_forms({
        "ersten|erste|erstes|erster|1.": 1, "zweiten|zweite|zweites|zweiter|2.": 2,
        "dritten|dritte|drittes|dritter|3.": 3, "vierten|vierte|viertes|vierter|4.": 4,
        "letzten|letzte|letztes|letzter": -1,
    }),
    days=_forms({"vorgestern": -2, "gestern": -1, "heute": 0, "morgen": 1, "übermorgen": 2}),
    last=("letzten", "letzte", "letztes", "letzter", "vergangenen", "vergangene", "vergangenes",
          "vergangener", "vorigen", "vorige", "voriges", "voriger", "vorherigen"),
    next=("nächsten", "nächste", "nächstes", "nächster", "kommenden", "kommende", "kommendes",
          "kommender", "folgenden", "folgende"),
    this=("diesen", "diese", "dieses", "dieser", "diesem", "laufenden", "laufende", "laufendes",
          "laufender", "aktuellen", "selben"),
    refs=_forms({
        "jetzt|derzeit|zurzeit|momentan|gegenwärtig|aktuell|heutzutage|mittlerweile|inzwischen|"
        "zur zeit": "PRESENT_REF",
        "kürzlich|vor kurzem|neulich|jüngst|zuvor|früher|bislang|bisher": "PAST_REF",
        "künftig|zukünftig|in zukunft|die zukunft|bald|demnächst|in kürze|später": "FUTURE_REF",
    }),
    sets=_forms({
        "stündlich": "PT1H", "täglich": "P1D", "wöchentlich": "P1W", "monatlich": "P1M",
        "vierteljährlich|quartalsweise": "P3M", "jährlich|alljährlich": "P1Y",
    }),
    every=("jeden", "jede", "jedes", "jedem", "pro", "im", "alle", "je"),
    ago=("vor",),
    approx=("etwa", "rund", "fast", "knapp", "mehr als", "über", "weniger als", "mindestens",
            "bis zu", "gut", "nahezu", "innerhalb von", "innerhalb", "ungefähr", "circa", "ca."),
    fuzzy=_forms({"einigen|einige|mehreren|mehrere|wenigen|wenige|vielen|viele|ein paar": "X"}),
    begin=("anfang", "beginn", "zu beginn des", "zu beginn der", "zu anfang", "frühjahr"),
    middle=("mitte",),
    end=("ende", "zum ende des", "zum ende der", "gegen ende", "spätestens ende"),
)

_FRENCH = Lexicon(
    lang="fr",
    months=_forms({
        "janvier": 1, "février|fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
        "août|aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre|decembre": 12,
    }),
    month_abbrevs=_forms({
        "janv": 1, "févr|fév": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "déc": 12,
    }),
    weekdays=_forms({
        "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    }),
    units=_UNITS_FR,
    parts_of_day=_forms({
        "matin|matinée": "MO", "midi": "MI", "après-midi": "AF", "soir|soirée": "EV", "nuit": "NI",
    }),
    seasons=_forms({"printemps": "SP", "été": "SU", "automne": "FA", "hiver": "WI"}),
    ordinals=_forms({
        "premier|première|1er|1re": 1, "deuxième|second|seconde|2e": 2, "troisième|3e": 3,
        "quatrième|4e": 4, "dernier|dernière": -1,
    }),
    days=_forms({"avant-hier": -2, "hier": -1, "aujourd'hui|aujourd’hui": 0, "demain": 1,
                 "après-demain": 2}),
    last=("dernier", "dernière", "derniers", "dernières", "passé", "passée", "précédent",
          "précédente", "écoulé", "écoulée"),
    next=("prochain", "prochaine", "prochains", "prochaines", "suivant", "suivante", "à venir"),
    this=("ce", "cet", "cette", "en cours"),
    refs=_forms({
        "maintenant|actuellement|en ce moment|à présent|désormais|aujourd'hui encore|de nos jours":
            "PRESENT_REF",
        "récemment|dernièrement|naguère|autrefois|auparavant|jusqu'ici|jusqu'à présent": "PAST_REF",
        "bientôt|prochainement|à l'avenir|l'avenir|le futur|plus tard|sous peu": "FUTURE_REF",
    }),
    sets=_forms({
        "quotidiennement|tous les jours|chaque jour": "P1D", "hebdomadaire|chaque semaine": "P1W",
        "mensuellement|chaque mois": "P1M", "annuellement|chaque année|tous les ans": "P1Y",
    }),
    every=("chaque", "par", "tous les", "toutes les"),
    ago=("il y a",),
    approx=("environ", "près de", "presque", "plus de", "moins de", "au moins", "jusqu'à",
            "quelque", "quelques", "pendant", "durant", "en", "depuis"),
    fuzzy=_forms({"plusieurs|quelques|de nombreux|de nombreuses": "X"}),
    begin=("début", "au début de", "début de", "courant"),
    middle=("mi", "à la mi", "la mi"),
    end=("fin", "à la fin de", "fin de", "d'ici la fin de"),
)

_SPANISH = Lexicon(
    lang="es",
    months=_forms({
        "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
        "septiembre|setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    }),
    month_abbrevs=_forms({
        "ene": 1, "feb": 2, "abr": 4, "jun": 6, "jul": 7, "ago": 8, "sep|sept": 9, "oct": 10,
        "nov": 11, "dic": 12,
    }),
    weekdays=_forms({
        "lunes": 0, "martes": 1, "miércoles|miercoles": 2, "jueves": 3, "viernes": 4,
        "sábado|sabado": 5, "domingo": 6,
    }),
    units=_UNITS_ES,
    parts_of_day=_forms({
        "mañana": "MO", "mediodía": "MI", "tarde": "AF", "noche": "NI", "madrugada": "NI",
    }),
    seasons=_forms({"primavera": "SP", "verano": "SU", "otoño": "FA", "invierno": "WI"}),
    ordinals=_forms({
        "primer|primero|primera|1er|1º|1°": 1, "segundo|segunda|2º|2°": 2, "tercer|tercero|tercera|3º|3°": 3,
        "cuarto|cuarta|4º|4°": 4, "último|última": -1,
    }),
    days=_forms({"anteayer|antes de ayer": -2, "ayer": -1, "hoy": 0, "mañana": 1, "pasado mañana": 2}),
    last=("pasado", "pasada", "pasados", "pasadas", "anterior", "último", "última", "últimos",
          "últimas"),
    next=("próximo", "próxima", "próximos", "próximas", "que viene", "siguiente", "entrante"),
    this=("este", "esta", "en curso"),
    refs=_forms({
        "ahora|actualmente|en la actualidad|hoy en día|ahora mismo|en este momento": "PRESENT_REF",
        "recientemente|últimamente|anteriormente|hasta ahora": "PAST_REF",
        "pronto|próximamente|en el futuro|el futuro|más adelante|en breve": "FUTURE_REF",
    }),
    sets=_forms({
        "diariamente|a diario|todos los días|cada día": "P1D", "semanalmente|cada semana": "P1W",
        "mensualmente|cada mes": "P1M", "anualmente|cada año|todos los años": "P1Y",
    }),
    every=("cada", "al", "por", "todos los", "todas las"),
    ago=("hace",),
    approx=("unos", "unas", "casi", "cerca de", "más de", "menos de", "al menos", "hasta",
            "alrededor de", "aproximadamente", "durante", "desde hace"),
    fuzzy=_forms({"varios|varias|algunos|algunas|unos pocos|pocos|muchos|muchas": "X"}),
    begin=("principios de", "a principios de", "comienzos de", "inicios de"),
    middle=("mediados de", "a mediados de"),
    end=("finales de", "a finales de", "fines de", "final de", "fin de"),
)

LEXICONS: dict[str, Lexicon] = {lex.lang: lex for lex in (_ENGLISH, _GERMAN, _FRENCH, _SPANISH)}


def lexicon_for(language: str | None) -> Lexicon:
    """The lexicon of ``language`` (``"de"``, ``"de-AT"``...); English when unknown or ``None``."""
    code = (language or "en").split("-")[0].split("_")[0].casefold()
    return LEXICONS.get(code, _ENGLISH)
