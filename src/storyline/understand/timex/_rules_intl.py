"""German, French and Spanish rules of the timex grammar (template syntax: see ``_grammar``).

The rules reuse the English handlers and group names (``month``, ``day``, ``year``, ``wd``, ``rel``
(or ``rel2`` when the word follows, as in ``mardi dernier``), ``num``, ``unit``, ``pod``...);
prepositions (``am``, ``im``, ``en``, ``el``) stay outside the spans, articles before relative
words (``la semaine dernière``, ``el próximo año``) inside.
"""

from __future__ import annotations

_ISO = (
    "numdate",
    r"(?P<year>(?:1[0-9]|20)\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>[0-2]\d|3[01])"
    r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d))?(?!\d)",
)
_DMY = (
    "numdate",
    r"(?<![\d/.])(?P<a>[0-3]?\d)[./](?P<b>[01]?\d)[./](?P<y>(?:1[0-9]|20)\d\d|\d\d)(?![\d/]|\.\d)",
)
_CLOCK24 = r"(?P<hour24>[01]?\d|2[0-3])[:.h](?P<minute24>[0-5]\d)"
_SHARED_TAIL = (
    ("holiday", r"(?P<holiday>%HOLIDAY%)(?: (?P<year>%YEAR%))?"),
    ("quarter", r"Q(?P<qn2>[1-4])(?:[ /-]?(?P<year>%YEAR%))?|(?P<qn>[1-4])Q(?P<yy>\d\d)?"),
    ("set", r"(?P<adv>%SETW%)"),
    ("year", r"(?:(?P<mod>%MOD%)(?:-| ))?(?P<year>%YEAR%)"),
    ("ref", r"(?P<ref>%REF%)(?! (?:%NUM%)\b)"),
)
_DURATION = r"(?:(?P<approx>%APPROX%) )?(?P<num>%NUM%|%FUZZY%) (?P<unit>%UNIT%)"

_GERMAN = (
    _ISO,
    _DMY,
    ("clock", rf"(?:{_CLOCK24}|(?P<hour>[01]?\d|2[0-3])) Uhr(?: (?P<minute>[0-5]\d))?"),
    (
        "date",
        r"(?:(?P<wd>%WD%),? (?:(?:den|dem) )?)?(?P<day>%DAY%)\. ?(?P<month>%MONTH%)"
        r"(?:,?\s+(?P<year>%YEAR%))?",
    ),
    ("half", r"(?:das )?(?P<ord>%ORD%) Halbjahr(?:es|s)?(?: (?P<year>%YEAR%))?"),
    ("quarter", r"(?:(?P<det>das) )?(?P<ord>%ORD%) Quartal(?:s|es)?(?: (?P<year2>%YEAR%))?"),
    ("ago", r"(?P<ago>vor) (?:(?P<approx>%APPROX%) )?(?P<num>%NUM%|%FUZZY%) (?P<unit>%UNIT%)"),
    ("duration", r"(?P<rel>%LAST%|%NEXT%) (?P<num>%NUM%|%FUZZY%) (?P<unit>%UNIT%)"),
    ("duration", r"(?P<num>%NUM%) weitere(?:n)? (?P<unit>%UNIT%)"),
    ("in", r"(?<=\bin\s)(?P<num>%NUM%) (?P<unit>%UNIT%)"),
    (
        "relunit",
        r"(?:(?P<mod>Anfang|Mitte|Ende) )?(?P<rel>%REL%) (?P<unit>Wochenendes|Wochenende|Woche|"
        r"Monats|Monat|Jahres|Jahr|Quartals|Quartal|Jahrzehnts|Jahrzehnt)",
    ),
    ("relunit", r"(?P<mod>Anfang|Mitte|Ende) (?P<rel>des|der) (?P<unit>Jahres|Monats|Woche)"),
    ("season", r"(?:(?P<mod>%MOD%) )?(?:(?P<rel>%REL%|im) )?(?P<season>%SEASON%)(?: (?P<year>%YEAR%))?"),
    ("month", r"(?:(?P<mod>Anfang|Mitte|Ende) )?(?P<month>%MONTH%),? (?P<year>%YEAR%)"),
    ("month", r"(?:(?P<mod>Anfang|Mitte|Ende) )?(?:(?P<rel>%REL%) )?(?P<month>%MONTH%)"),
    (
        "weekday",
        r"(?:(?P<mod>späten|frühen) )?(?:(?P<rel>%REL%) )?(?P<wd>%WD%)(?:(?P<pod>morgen|vormittag|mittag|"
        r"nachmittag|abend|nacht)|"
        r" (?P<pod2>früh|morgen|vormittag|mittag|nachmittag|abend))?",
    ),
    ("relday", r"(?P<dayw>%DAYW%)(?: (?P<pod>%POD%))?"),
    ("set", r"(?:jeden|jede|jedes|alle) (?:(?P<num>%NUM%) )?(?P<unit>%UNIT%|%WD%)"),
    ("set", r"(?P<wd>%WD%)s(?: (?P<pod>%POD%)s)?"),
    ("decade", r"(?:(?P<mod>%MOD%) )?(?:(?P<dec>(?:1[0-9]|20)\d0)|(?P<dec2>\d0))er(?: Jahre(?:n)?)?"),
    ("century", r"(?P<cnum>\d{1,2})\. Jahrhundert(?:s)?"),
    ("duration", _DURATION),
    *_SHARED_TAIL,
)

_FRENCH = (
    _ISO,
    _DMY,
    ("clock", rf"(?:{_CLOCK24}|(?P<hour>[01]?\d|2[0-3]) ?h(?:eures?)?(?: (?P<minute>[0-5]\d))?)(?!\w)"),
    (
        "date",
        r"(?:(?P<wd>%WD%) )?(?P<day>%DAY%)(?:er|re)? (?P<month>%MONTH%)(?:(?:\s*,)?\s+(?P<year>%YEAR%))?"
        r"(?: (?P<rel2>%LAST%|%NEXT%))?",
    ),
    ("half", r"(?:le )?(?P<ord>%ORD%) semestre(?: (?P<year>%YEAR%))?"),
    ("quarter", r"(?:(?P<det>le) )?(?P<ord>%ORD%) trimestre(?: (?P<year2>%YEAR%))?"),
    ("ago", r"(?P<ago>il y a) (?:(?P<approx>%APPROX%) )?(?P<num>%NUM%|%FUZZY%) (?P<unit>%UNIT%)"),
    ("in", r"(?<=\bdans\s)(?P<num>%NUM%) (?P<unit>%UNIT%)"),
    (
        "relunit",
        r"(?:(?P<mod>%MOD%) )?(?:la |le |l'|l’|les )?(?P<unit>semaine|mois|année|an|trimestre|week-end|"
        r"décennie|siècle) (?P<rel2>%LAST%|%NEXT%)",
    ),
    ("relunit", r"(?P<rel>ce|cet|cette) (?P<unit>semaine|mois|année|trimestre|week-end)(?:-ci)?"),
    ("relunit", r"(?P<mod>%MOD%) (?:la |le |l'|l’)(?P<unit>semaine|mois|année)(?P<rel>)"),
    (
        "season",
        r"(?:(?P<mod>%MOD%) )?(?:(?P<rel>cet|ce|l'|l’|en|au) ?)(?P<season>%SEASON%)"
        r"(?: (?P<rel2>%LAST%|%NEXT%))?(?: (?P<year>%YEAR%))?",
    ),
    ("month", r"(?:(?P<mod>%MOD%)(?:-| ))?(?P<month>%MONTH%) (?P<year>%YEAR%)"),
    ("month", r"(?:(?P<mod>%MOD%)(?:-| ))?(?P<month>%MONTH%)(?: (?P<rel2>%LAST%|%NEXT%))?"),
    (
        "weekday",
        r"(?:(?P<rel>ce) )?(?P<wd>%WD%)(?: (?P<pod>matin|après-midi|soir|midi))?"
        r"(?: (?P<rel2>%LAST%|%NEXT%))?",
    ),
    ("relday", r"(?P<dayw>%DAYW%)(?: (?P<pod>matin|après-midi|soir))?"),
    ("podrel", r"(?P<rel>ce|cet|cette) (?P<pod>matin|après-midi|soir|nuit)"),
    ("set", r"(?:chaque|tous les|toutes les) (?:(?P<num>%NUM%) )?(?P<unit>%UNIT%|%WD%)"),
    ("set", r"(?:par) (?P<unit>an|jour|semaine|mois|année|heure)"),
    ("decade", r"(?:(?P<mod>%MOD%) )?(?:les )?années (?:(?P<dec>(?:1[0-9]|20)\d0)|(?P<dec2>\d0))"),
    ("century", r"(?:(?P<cnum>\d{1,2})|(?P<roman>[XVI]{1,5}))(?:e|ème) siècle"),
    ("duration", _DURATION),
    *_SHARED_TAIL,
)

_SPANISH = (
    _ISO,
    _DMY,
    ("clock", r"(?P<hour>[01]?\d):(?P<minute>[0-5]\d) ?(?P<ampm>[ap]\.? ?m\.?)"),
    ("clock", rf"{_CLOCK24}(?: horas| h\b)?|(?P<hour>[01]?\d|2[0-3]) horas"),
    (
        "date",
        r"(?:(?:pasado|próximo) )?(?:(?P<wd>%WD%),? )?(?P<day>%DAY%)(?:º|°)? de (?P<month>%MONTH%)"
        r"(?: (?:de|del) (?P<year>%YEAR%))?",
    ),
    ("date", r"(?P<month>%MONTH%) (?P<day>%DAY%),? (?P<year>%YEAR%)"),
    ("year", r"(?:el )?año (?P<year>%YEAR%)"),
    ("month", r"mes de (?P<month>%MONTH%)(?: (?:de |del )?(?P<year>%YEAR%))?"),
    ("duration", r"(?:los |las )?(?P<rel>%LAST%|%NEXT%) (?P<num>%NUM%) (?P<unit>%UNIT%)"),
    ("duration", r"(?:los |las )?(?P<num>últimos|últimas|próximos|próximas) (?P<unit>%UNIT%)"),
    ("half", r"(?:el |del )?(?P<ord>%ORD%) semestre(?: (?:de|del) (?P<year>%YEAR%))?"),
    ("quarter", r"(?:(?P<det>el|del) )?(?P<ord>%ORD%) trimestre(?: (?:de|del) (?P<year2>%YEAR%))?"),
    ("ago", r"(?P<ago>hace) (?:(?P<approx>%APPROX%) )?(?P<num>%NUM%|%FUZZY%) (?P<unit>%UNIT%)"),
    ("in", r"(?<=\bdentro\sde\s)(?P<num>%NUM%) (?P<unit>%UNIT%)"),
    (
        "relunit",
        r"(?:(?P<mod>%MOD%) )?(?:el |la )?(?P<unit>fin de semana|semana|mes|año|trimestre|década|siglo)"
        r" (?P<rel2>%LAST%|%NEXT%)",
    ),
    (
        "relunit",
        r"(?:(?P<mod>%MOD%) )?(?:el |la )?(?P<rel>%LAST%|%NEXT%|%THIS%) (?P<unit>fin de semana|semana|"
        r"mes|año|trimestre|década|siglo)",
    ),
    ("relunit", r"(?P<mod>%MOD%) (?P<unit>año|mes|semana)(?P<rel>)"),
    (
        "season",
        r"(?:(?P<mod>%MOD%) )?(?:el |la )?(?:(?P<rel>%THIS%|%LAST%|%NEXT%) )?(?P<season>%SEASON%)"
        r"(?: (?P<rel2>%LAST%|%NEXT%))?(?: (?:de )?(?P<year>%YEAR%))?",
    ),
    ("month", r"(?:(?P<mod>%MOD%) )?(?P<month>%MONTH%) (?:de |del )?(?P<year>%YEAR%)"),
    ("month", r"(?:(?P<mod>%MOD%) )?(?P<month>%MONTH%)(?: (?P<rel2>%LAST%|%NEXT%))?"),
    (
        "weekday",
        r"(?:(?:el |la )?(?P<rel>%LAST%|%NEXT%|%THIS%) )?(?P<wd>%WD%)(?: (?P<rel2>%LAST%|%NEXT%))?"
        r"(?: (?:por la |en la )?(?P<pod>mañana|tarde|noche))?",
    ),
    ("relday", r"(?P<dayw>%DAYW%)(?: (?:por la |en la )(?P<pod>mañana|tarde|noche))?"),
    ("podrel", r"(?P<rel>esta|este) (?P<pod>mañana|tarde|noche|madrugada)"),
    ("set", r"(?:cada|todos los|todas las) (?:(?P<num>%NUM%) )?(?P<unit>%UNIT%|%WD%)"),
    ("set", r"(?:al|por) (?P<unit>año|mes|día|semana|hora)"),
    ("decade", r"(?:(?P<mod>%MOD%) )?(?:los )?años (?:(?P<dec>(?:1[0-9]|20)\d0)|(?P<dec2>\d0))"),
    ("century", r"siglo (?:(?P<roman>[XVI]{1,5})|(?P<cnum>\d{1,2}))"),
    ("duration", _DURATION),
    *_SHARED_TAIL,
)

INTL_RULES: dict[str, tuple[tuple[str, str], ...]] = {"de": _GERMAN, "fr": _FRENCH, "es": _SPANISH}
