"""The German, French and Spanish time vocabulary (see ``_lexicon`` for the fields)."""

from __future__ import annotations

from storyline.understand.timex._lexicon import Lexicon, alts, forms

__all__ = ["FRENCH", "GERMAN", "SPANISH"]

# fmt: off
GERMAN = Lexicon(
    lang="de",
    months=forms({
        "januar|jänner": 1, "februar|feber": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
        "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    }),
    month_abbrevs=forms({
        "jan": 1, "feb": 2, "mär|mrz": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep|sept": 9,
        "okt": 10, "nov": 11, "dez": 12,
    }),
    weekdays=forms({
        "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag|sonnabend": 5,
        "sonntag": 6,
    }),
    units=forms({
        "sekunde|sekunden": "S", "minute|minuten": "MIN", "stunde|stunden": "H",
        "tag|tage|tagen|tages|nacht|nächte|nächten": "D", "woche|wochen": "W",
        "wochenende|wochenenden": "WE", "monat|monate|monaten|monats": "M",
        "quartal|quartale|quartalen|quartals": "Q", "jahr|jahre|jahren|jahres": "Y",
        "jahrzehnt|jahrzehnte|jahrzehnten|jahrzehnts": "DE",
        "jahrhundert|jahrhunderte|jahrhunderten|jahrhunderts": "CE",
    }),
    parts_of_day=forms({
        "morgen|früh|vormittag": "MO", "mittag": "MI", "nachmittag": "AF", "abend": "EV", "nacht": "NI",
    }),
    seasons=forms({"frühling|frühjahr": "SP", "sommer": "SU", "herbst": "FA", "winter": "WI"}),
    ordinals=forms({
        "ersten|erste|erstes|erster|1.": 1, "zweiten|zweite|zweites|zweiter|2.": 2,
        "dritten|dritte|drittes|dritter|3.": 3, "vierten|vierte|viertes|vierter|4.": 4,
        "letzten|letzte|letztes|letzter": -1,
    }),
    days=forms({"vorgestern": -2, "gestern": -1, "heute": 0, "morgen": 1, "übermorgen": 2}),
    last=alts(
        "letzten|letzte|letztes|letzter|vergangenen|vergangene|vergangenes|vergangener|vorigen|"
        "vorige|voriges|voriger|vorherigen"
    ),
    next=alts(
        "nächsten|nächste|nächstes|nächster|kommenden|kommende|kommendes|kommender|folgenden|"
        "folgende"
    ),
    this=alts("diesen|diese|dieses|dieser|diesem|laufenden|laufende|laufendes|laufender|aktuellen|selben"),
    refs=forms({
        "jetzt|nun|derzeit|zurzeit|momentan|gegenwärtig|aktuell|heutzutage|mittlerweile|inzwischen|"
        "zur zeit": "PRESENT_REF",
        "kürzlich|vor kurzem|neulich|jüngst|zuvor|früher|bislang|bisher": "PAST_REF",
        "künftig|zukünftig|in zukunft|die zukunft|bald|demnächst|in kürze|später": "FUTURE_REF",
    }),
    sets=forms({
        "stündlich": "PT1H", "täglich": "P1D", "wöchentlich": "P1W", "monatlich": "P1M",
        "vierteljährlich|quartalsweise": "P3M", "jährlich|alljährlich": "P1Y",
    }),
    every=alts("jeden|jede|jedes|jedem|pro|im|alle|je"),
    ago=alts("vor"),
    approx=alts(
        "etwa|rund|fast|knapp|mehr als|über|weniger als|mindestens|bis zu|gut|nahezu|"
        "innerhalb von|innerhalb|ungefähr|circa|ca."
    ),
    fuzzy=forms({"einigen|einige|mehreren|mehrere|wenigen|wenige|vielen|viele|ein paar": "X"}),
    begin=alts("anfang|beginn|zu beginn des|zu beginn der|zu anfang|frühjahr"),
    middle=alts("mitte"),
    end=alts("ende|zum ende des|zum ende der|gegen ende|spätestens ende"),
)

FRENCH = Lexicon(
    lang="fr",
    months=forms({
        "janvier": 1, "février|fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
        "août|aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre|decembre": 12,
    }),
    month_abbrevs=forms({
        "janv": 1, "févr|fév": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "déc": 12,
    }),
    weekdays=forms({
        "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    }),
    units=forms({
        "seconde|secondes": "S", "minute|minutes": "MIN", "heure|heures": "H",
        "jour|jours|journée|journées|nuit|nuits": "D", "semaine|semaines": "W",
        "week-end|week-ends|weekend": "WE", "mois": "M", "trimestre|trimestres": "Q",
        "an|ans|année|années": "Y", "décennie|décennies": "DE", "siècle|siècles": "CE",
    }),
    parts_of_day=forms({
        "matin|matinée": "MO", "midi": "MI", "après-midi": "AF", "soir|soirée": "EV", "nuit": "NI",
    }),
    seasons=forms({"printemps": "SP", "été": "SU", "automne": "FA", "hiver": "WI"}),
    ordinals=forms({
        "premier|première|1er|1re": 1, "deuxième|second|seconde|2e": 2, "troisième|3e": 3,
        "quatrième|4e": 4, "dernier|dernière": -1,
    }),
    days=forms({
        "avant-hier": -2, "hier": -1, "aujourd'hui|aujourd’hui": 0, "demain": 1, "après-demain": 2,
    }),
    last=alts("dernier|dernière|derniers|dernières|passé|passée|précédent|précédente|écoulé|écoulée"),
    next=alts("prochain|prochaine|prochains|prochaines|suivant|suivante|à venir"),
    this=alts("ce|cet|cette|en cours"),
    refs=forms({
        "maintenant|actuellement|en ce moment|à présent|désormais|aujourd'hui encore|"
        "de nos jours": "PRESENT_REF",
        "récemment|ces derniers temps|dernièrement|naguère|autrefois|auparavant|jusqu'ici|"
        "jusqu'à présent": "PAST_REF",
        "bientôt|prochainement|à l'avenir|l'avenir|le futur|plus tard|sous peu": "FUTURE_REF",
    }),
    sets=forms({
        "quotidiennement|tous les jours|chaque jour": "P1D", "hebdomadaire|chaque semaine": "P1W",
        "mensuellement|chaque mois": "P1M", "annuellement|chaque année|tous les ans": "P1Y",
    }),
    every=alts("chaque|par|tous les|toutes les"),
    ago=alts("il y a"),
    approx=alts("environ|près de|presque|plus de|moins de|au moins|jusqu'à|quelque"),
    fuzzy=forms({"plusieurs|quelques|de nombreux|de nombreuses": "X"}),
    begin=alts("début|au début de|début de|courant"),
    middle=alts("mi|à la mi|la mi"),
    end=alts("fin|à la fin de|fin de|d'ici la fin de"),
)

SPANISH = Lexicon(
    lang="es",
    months=forms({
        "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
        "septiembre|setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    }),
    month_abbrevs=forms({
        "ene": 1, "feb": 2, "abr": 4, "jun": 6, "jul": 7, "ago": 8, "sep|sept": 9, "oct": 10, "nov": 11,
        "dic": 12,
    }),
    weekdays=forms({
        "lunes": 0, "martes": 1, "miércoles|miercoles": 2, "jueves": 3, "viernes": 4, "sábado|sabado": 5,
        "domingo": 6,
    }),
    units=forms({
        "segundo|segundos": "S", "minuto|minutos": "MIN", "hora|horas": "H",
        "día|días|jornada|jornadas|noche|noches": "D", "semana|semanas": "W",
        "fin de semana|fines de semana": "WE", "mes|meses": "M", "trimestre|trimestres": "Q",
        "año|años": "Y", "década|décadas": "DE", "siglo|siglos": "CE",
    }),
    parts_of_day=forms({"mañana": "MO", "mediodía": "MI", "tarde": "AF", "noche|madrugada": "NI"}),
    seasons=forms({"primavera": "SP", "verano": "SU", "otoño": "FA", "invierno": "WI"}),
    ordinals=forms({
        "primer|primero|primera|1er|1º|1°": 1, "segundo|segunda|2º|2°": 2,
        "tercer|tercero|tercera|3º|3°": 3, "cuarto|cuarta|4º|4°": 4, "último|última": -1,
    }),
    days=forms({"anteayer|antes de ayer": -2, "ayer": -1, "hoy": 0, "mañana": 1, "pasado mañana": 2}),
    last=alts("pasado|pasada|pasados|pasadas|anterior|último|última|últimos|últimas"),
    next=alts("próximo|próxima|próximos|próximas|que viene|siguiente|entrante"),
    this=alts("este|esta|en curso"),
    refs=forms({
        "ahora|actualmente|en la actualidad|hoy en día|ahora mismo|en este momento": "PRESENT_REF",
        "recientemente|últimamente|anteriormente|hasta ahora": "PAST_REF",
        "pronto|próximamente|en el futuro|el futuro|más adelante|en breve": "FUTURE_REF",
    }),
    sets=forms({
        "diariamente|a diario|todos los días|cada día": "P1D", "semanalmente|cada semana": "P1W",
        "mensualmente|cada mes": "P1M", "anualmente|cada año|todos los años": "P1Y",
    }),
    every=alts("cada|al|por|todos los|todas las"),
    ago=alts("hace"),
    approx=alts("unos|unas|casi|cerca de|más de|menos de|al menos|hasta|alrededor de|aproximadamente"),
    fuzzy=forms({"varios|varias|algunos|algunas|unos pocos|pocos|muchos|muchas|unas|unos": "X"}),
    begin=alts("principios de|a principios de|comienzos de|inicios de|inicio de"),
    middle=alts("mediados de|a mediados de"),
    end=alts("finales de|a finales de|fines de|final de|fin de"),
)
# fmt: on
