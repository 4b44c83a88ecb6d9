"""Italian, Dutch and Portuguese rules of the timex grammar (template syntax: see ``_grammar``).

Same handlers, group names and span conventions as ``_rules_intl``: prepositions (``il``, ``op``,
``em``) stay outside, articles before relative words (``la settimana scorsa``, ``o próximo ano``)
inside. A word after an apostrophe cannot open a span (``all'inizio``), so such rules start at the
contracted word.
"""

from __future__ import annotations

from storyline.understand.timex._rules_intl import _CLOCK24, _DMY, _DURATION, _ISO, _SHARED_TAIL

_ARTICLE_IT = r"(?:il |la |lo |i |le |gli |l['’])"
_UNITS_IT = r"fine settimana|weekend|settimana|mese|anno|trimestre|decennio|secolo"
_POD_IT = r"mattina|mattino|pomeriggio|sera|notte"

_ITALIAN = (
    _ISO,
    _DMY,
    ("clock", rf"(?:ore )?{_CLOCK24}|ore (?P<hour>[01]?\d|2[0-3])"),
    (
        "date",
        r"(?:(?P<wd>%WD%),? )?(?P<day>%DAY%)(?:°|º)? (?P<month>%MONTH%)(?: (?:del )?(?P<year>%YEAR%))?",
    ),
    ("half", r"(?:il )?(?P<ord>%ORD%) semestre(?: (?:del )?(?P<year>%YEAR%))?"),
    ("quarter", r"(?:(?P<det>il) )?(?P<ord>%ORD%) trimestre(?: (?:del )?(?P<year2>%YEAR%))?"),
    ("ago", r"(?:(?P<approx>%APPROX%) )?(?P<num>%NUM%|%FUZZY%) (?P<unit>%UNIT%) (?P<ago>fa)"),
    ("in", r"(?<=\b[tf]ra\s)(?P<num>%NUM%) (?P<unit>%UNIT%)"),
    ("relunit", rf"(?:(?P<mod>%MOD%) )?{_ARTICLE_IT}?(?P<unit>{_UNITS_IT}) (?P<rel2>%LAST%|%NEXT%)"),
    ("relunit", rf"(?:(?P<mod>%MOD%) )?{_ARTICLE_IT}?(?P<rel>%LAST%|%NEXT%|%THIS%) (?P<unit>{_UNITS_IT})"),
    ("relunit", r"(?P<rel>quest['’])(?P<unit>anno)"),
    (
        "season",
        rf"(?:(?P<mod>%MOD%) )?{_ARTICLE_IT}?(?:(?P<rel>%THIS%|%LAST%|%NEXT%)\s*)?(?P<season>%SEASON%)"
        r"(?: (?P<rel2>%LAST%|%NEXT%))?(?: (?:del )?(?P<year>%YEAR%))?",
    ),
    ("month", r"(?:(?P<mod>%MOD%) )?(?P<month>%MONTH%) (?:del )?(?P<year>%YEAR%)"),
    ("month", r"(?:(?P<mod>%MOD%) )?(?P<month>%MONTH%)(?: (?P<rel2>%LAST%|%NEXT%))?"),
    (
        "weekday",
        rf"(?:{_ARTICLE_IT}?(?P<rel>%LAST%|%NEXT%|%THIS%) )?(?P<wd>%WD%)(?: (?P<rel2>%LAST%|%NEXT%))?"
        rf"(?: (?P<pod>{_POD_IT}))?",
    ),
    ("relday", rf"(?P<dayw>%DAYW%)(?: (?P<pod>{_POD_IT}))?"),
    ("set", r"(?:ogni|tutti i|tutte le) (?:(?P<num>%NUM%) )?(?P<unit>%UNIT%|%WD%)"),
    ("set", r"(?:al|all['’]|a) (?P<unit>anno|mese|giorno|settimana)"),
    ("decade", r"(?:(?P<mod>%MOD%) )?(?:gli )?anni ['’]?(?:(?P<dec>(?:1[0-9]|20)\d0)|(?P<dec2>\d0))"),
    ("century", r"(?:(?P<roman>[XVI]{1,5})|(?P<cnum>\d{1,2}))(?:°|º)? secolo"),
    ("duration", _DURATION),
    *_SHARED_TAIL,
)

_POD_NL = r"ochtend|morgen|middag|namiddag|avond|nacht"
_DUTCH = (
    _ISO,
    _DMY,
    ("clock", rf"(?:{_CLOCK24}|(?P<hour>[01]?\d|2[0-3])) uur(?: (?P<minute>[0-5]\d))?"),
    ("date", r"(?:(?P<wd>%WD%),? )?(?P<day>%DAY%)e? (?P<month>%MONTH%)(?: (?P<year>%YEAR%))?"),
    ("half", r"(?:de )?(?P<ord>%ORD%) (?:helft|jaarhelft)(?: (?:van )?(?P<year>%YEAR%))?"),
    ("quarter", r"(?:(?P<det>het) )?(?P<ord>%ORD%) kwartaal(?: (?:van )?(?P<year2>%YEAR%))?"),
    ("ago", r"(?:(?P<approx>%APPROX%) )?(?P<num>%NUM%|%FUZZY%) (?P<unit>%UNIT%) (?P<ago>geleden)"),
    ("in", r"(?<=\bover\s)(?P<num>%NUM%) (?P<unit>%UNIT%)"),
    ("month", r"(?:(?P<mod>%MOD%) )?(?P<month>%MONTH%) (?P<relyear>%REL%) jaar"),
    (
        "relunit",
        r"(?:(?P<mod>begin|midden|eind) )?(?P<rel>%REL%) (?P<unit>weekend|week|maand|jaar|kwartaal|"
        r"decennium|eeuw)",
    ),
    ("season", r"(?:(?P<mod>%MOD%) )?(?:(?P<rel>%REL%) )?(?P<season>%SEASON%)(?: (?P<year>%YEAR%))?"),
    ("month", r"(?:(?P<mod>%MOD%) )?(?P<month>%MONTH%),? (?P<year>%YEAR%)"),
    ("month", r"(?:(?P<mod>%MOD%) )?(?:(?P<rel>%REL%) )?(?P<month>%MONTH%)"),
    (
        "weekday",
        rf"(?:(?P<rel>%REL%) )?(?P<wd>%WD%)(?:(?P<pod>{_POD_NL})|(?: (?P<pod2>{_POD_NL})))?",
    ),
    ("relday", r"(?P<dayw>%DAYW%)(?:\s?(?P<pod>ochtend|middag|avond|nacht))?"),
    ("set", r"(?:elke|elk|iedere|ieder|alle) (?:(?P<num>%NUM%) )?(?P<unit>%UNIT%|%WD%)"),
    ("set", r"['’]s (?P<wd>%WD%)s"),
    ("set", r"per (?P<unit>jaar|maand|week|dag|uur)"),
    ("decade", r"(?:(?P<mod>%MOD%) )?(?:de )?jaren ['’]?(?:(?P<dec>(?:1[0-9]|20)\d0)|(?P<dec2>\d0))"),
    ("century", r"(?P<cnum>\d{1,2})(?:e|ste|de) eeuw"),
    ("duration", _DURATION + r"(?! oude?\b)"),
    *_SHARED_TAIL,
)

_ARTICLE_PT = r"(?:o |a |os |as )"
_UNITS_PT = r"fim de semana|semana|mês|mes|ano|trimestre|década|século"
_NOT_RIO = r"(?<!\brio\sde\s)"
_PORTUGUESE = (
    _ISO,
    _DMY,
    ("clock", rf"{_CLOCK24}(?: horas| ?h\b)?|(?<=\bàs\s)(?P<hour>[01]?\d|2[0-3])(?: ?h| horas)"),
    (
        "date",
        r"(?:(?P<wd>%WD%),? )?(?P<day>%DAY%)(?:º|°)? de (?P<month>%MONTH%)(?: (?:de|do) (?P<year>%YEAR%))?",
    ),
    ("half", r"(?:o )?(?P<ord>%ORD%) semestre(?: (?:de|do) (?P<year>%YEAR%))?"),
    ("quarter", r"(?:(?P<det>o) )?(?P<ord>%ORD%) trimestre(?: (?:de|do) (?P<year2>%YEAR%))?"),
    ("ago", r"(?P<ago>há|faz) (?:(?P<approx>%APPROX%) )?(?P<num>%NUM%|%FUZZY%) (?P<unit>%UNIT%)"),
    ("ago", r"(?:(?P<approx>%APPROX%) )?(?P<num>%NUM%|%FUZZY%) (?P<unit>%UNIT%) (?P<ago>atrás)"),
    ("in", r"(?<=\bdentro\sde\s)(?P<num>%NUM%) (?P<unit>%UNIT%)"),
    ("relunit", rf"(?:(?P<mod>%MOD%) )?{_ARTICLE_PT}?(?P<unit>{_UNITS_PT}) (?P<rel2>%LAST%|%NEXT%)"),
    ("relunit", rf"(?:(?P<mod>%MOD%) )?{_ARTICLE_PT}?(?P<rel>%LAST%|%NEXT%|%THIS%) (?P<unit>{_UNITS_PT})"),
    (
        "season",
        rf"(?:(?P<mod>%MOD%) )?{_ARTICLE_PT}?(?:(?P<rel>%THIS%|%LAST%|%NEXT%) )?(?P<season>%SEASON%)"
        r"(?: (?P<rel2>%LAST%|%NEXT%))?(?: (?:de )?(?P<year>%YEAR%))?",
    ),
    ("month", rf"(?:(?P<mod>%MOD%) )?{_NOT_RIO}(?P<month>%MONTH%) (?:de |do )?(?P<year>%YEAR%)"),
    ("month", rf"(?:(?P<mod>%MOD%) )?{_NOT_RIO}(?P<month>(?-i:%MONTH%))(?: (?P<rel2>%LAST%|%NEXT%))?"),
    ("set", r"(?P<wd>(?:segunda|terça|quarta|quinta|sexta)s-feiras|sábados|sabados|domingos)"),
    (
        "weekday",
        rf"(?:{_ARTICLE_PT}?(?P<rel>%LAST%|%NEXT%|%THIS%) )?(?P<wd>%WD%)(?: (?P<rel2>%LAST%|%NEXT%))?"
        r"(?: (?:de |à |pela )?(?P<pod>manhã|tarde|noite))?",
    ),
    ("relday", r"(?P<dayw>%DAYW%)(?: (?:de |à |pela )(?P<pod>manhã|tarde|noite))?"),
    ("set", r"(?:cada|todos os|todas as) (?:(?P<num>%NUM%) )?(?P<unit>%UNIT%|%WD%)"),
    ("set", r"(?:ao|por) (?P<unit>ano|mês|dia|semana|hora)"),
    ("decade", r"(?:(?P<mod>%MOD%) )?(?:os )?anos (?:(?P<dec>(?:1[0-9]|20)\d0)|(?P<dec2>\d0))"),
    ("century", r"século (?:(?P<roman>[XVI]{1,5})|(?P<cnum>\d{1,2}))"),
    ("duration", _DURATION),
    *_SHARED_TAIL,
)

MORE_RULES: dict[str, tuple[tuple[str, str], ...]] = {"it": _ITALIAN, "nl": _DUTCH, "pt": _PORTUGUESE}
