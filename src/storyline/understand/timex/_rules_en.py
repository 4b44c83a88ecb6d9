"""English rules of the timex grammar, in priority order (template syntax: see ``_grammar``).

Longer, more specific rules come first: at each word the first rule that matches wins.
"""

from __future__ import annotations

__all__ = ["RULES_EN"]

_RELX = (
    r"(?:this past|this coming|the past|the last|the next|the coming|the previous|the following|"
    r"the current|the same|this|last|next|past|coming|current|previous|following|that)"
)
_CLOCK = (
    r"(?:(?P<hour>[01]?\d|2[0-3])(?:[:.](?P<minute>[0-5]\d))? ?(?P<ampm>[ap]\.m\.|[ap]\.m\b|[ap]m\b)"
    r"|(?P<hour24>[01]?\d|2[0-3]):(?P<minute24>[0-5]\d)|(?P<special>noon|midnight|midday))"
)
_TZ = r"(?: (?P<tz>[ECMP][SD]T|GMT|UTC|BST|CET|CEST))?"
_FIN_ADJ = (
    r"(?:year-ago|year-earlier|comparable|flat|same|latest|current|fiscal|calendar|strong|weak|"
    r"disappointing|recent|previous|prior|corresponding|just-ended|just-completed|most recent|final)"
)

RULES_EN: tuple[tuple[str, str], ...] = (
    (
        "clock",
        rf"(?:(?P<approx>around|about|approximately|roughly) )?{_CLOCK}{_TZ}"
        r"(?:,? (?:on )?(?P<wd>%WD%)|,? (?P<dayw>yesterday|today|tomorrow|tonight)"
        r"|,? (?P<month>%MONTH%) (?P<day>%DAY%))?",
    ),
    ("clock", r"(?P<hour>[01]?\d) (?:o'clock )?in the (?P<pod>morning|afternoon|evening)"),
    ("holiday", rf"(?:(?P<rel>{_RELX}) )?(?P<holiday>%HOLIDAY%)(?:,? (?P<year>%YEAR%))?"),
    (
        "numdate",
        r"(?P<year>(?:1[0-9]|20)\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>[0-2]\d|3[01])"
        r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d))?(?!\d)",
    ),
    ("numdate", r"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:1[0-9]|20)?\d\d)(?![\d/])"),
    (
        "date",
        r"(?:(?P<rel>last|next|this|this coming|this past) )?(?:(?P<wd>%WD%),? )?(?P<month>%MONTH%) "
        r"(?P<day>%DAY%)(?:st|nd|rd|th)?(?!,\d)"
        r"(?:,? (?P<year>%YEAR%))?",
    ),
    (
        "date",
        r"(?:(?P<wd>%WD%),? )?(?:the )?(?P<day>%DAY%)(?:st|nd|rd|th)? (?:of )?(?P<month>%MONTH%)"
        r"(?:,? (?P<year>%YEAR%))?",
    ),
    (
        "half",
        rf"(?:the )?(?P<ord>first|second|last|latter|1st|2nd) half (?:of )?"
        rf"(?:(?P<year>%YEAR%)|(?:fiscal )?(?P<fyear>%YEAR%)|(?P<rel>{_RELX}|the) year)?",
    ),
    (
        "quarter",
        rf"(?:(?P<det>the|its|a|an|this|that|this year's|last year's|next year's) )?"
        rf"(?:(?P<year>%YEAR%) )?(?:(?P<adj>{_FIN_ADJ})[ -])*"
        r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[ -](?:(?:fiscal|calendar)[ -])?"
        r"(?P<unit>quarter|qtr\.?)(?: (?:of|in) (?:fiscal |calendar )?(?P<year2>%YEAR%)|"
        r" of (?P<thisyear>the|this) year)?",
    ),
    ("quarter", r"(?P<qn>[1-4])Q(?P<yy>\d\d)?|Q(?P<qn2>[1-4])(?:[ /-]?(?P<year>%YEAR%))?"),
    (
        "ago",
        r"(?:(?P<approx>%APPROX%) )?(?P<num>%NUM%|an?|a few|several|a couple of|a couple|many|some)"
        r" (?:(?P<more>more) )?(?P<unit>%UNIT%)(?: or so)? (?P<ago>ago|earlier|later|from now|hence)",
    ),
    (
        "in",
        r"(?<=\bin\s)(?P<num>%NUM%) (?P<unit>days?|weeks?|months?|years?|hours?|minutes?)"
        r"(?! (?:of|ago|earlier|later|old|time)\b|')",
    ),
    (
        "qanaph",
        rf"(?P<det>the|its) (?P<year>%YEAR%) (?:(?P<adj>{_FIN_ADJ})[ -])*(?P<what>quarter|period)(?![\w-])",
    ),
    (
        "qanaph",
        rf"(?P<det>the|this|that|its|last year's|a) (?:(?P<adj>{_FIN_ADJ})[ -])*"
        r"(?P<what>quarter|period)(?! (?:of|in) (?:%YEAR%|fiscal))(?![\w-])"
        r"(?P<ago> a year (?:ago|earlier)| last year| of last year)?",
    ),
    ("qanaph", r"(?P<adj>year-ago|year-earlier|year-before)(?: (?P<what>quarter|period))?"),
    ("yearword", r"(?:the year )?(?P<yw>%YEARW%)(?! (?:%UNIT%|people|dollars|troops|years)\b)(?!-)"),
    (
        "relunit",
        rf"(?:(?P<mod>%MOD%|earlier|later|sometime|around)(?:-| ))?(?P<rel>{_RELX}) "
        r"(?P<unit>weekend|week|month|year|quarter|decade|century|fiscal year)(?![\w-])(?!'s? \d)",
    ),
    (
        "relunit",
        r"(?P<mod>%MOD%|earlier|later|around) (?:in )?(?P<rel>the) "
        r"(?P<unit>week|month|year|decade|century)(?![\w-])",
    ),
    (
        "relunit",
        r"(?P<rel>the) (?:(?P<full>full|entire|fiscal|current fiscal) )?(?P<unit>weekend|year)"
        r"(?! (?:before|after|earlier|ago)\b)(?![\w-])",
    ),
    ("relunit", r"(?:(?P<mod>around) )?(?P<unit>year)(?P<rel>-end| end|'s end)"),
    (
        "season",
        rf"(?:(?P<mod>%MOD%)(?:-| ))?(?:(?P<rel>{_RELX}|the) )?(?P<season>%SEASON%)"
        r"(?: (?:of )?(?:(?P<year>%YEAR%)|(?P<yw>%YEARW%)))?",
    ),
    ("month", r"(?:(?P<mod>%MOD%)(?:-| ))?(?P<month>%MONTH%),?(?: of)? (?:(?P<year>%YEAR%)|(?P<yw>%YEARW%))"),
    (
        "month",
        rf"(?:(?P<mod>%MOD%)(?:-| ))?(?:(?P<rel>{_RELX}) )?(?P<month>%MONTH%)"
        rf"(?: (?:of )?(?P<relyear>{_RELX}) year)?",
    ),
    (
        "weekday",
        rf"(?:(?P<mod>early|late|earlier|later|mid|until|since) )?(?:(?P<rel>{_RELX}) )?"
        r"(?P<wd>%WD%)(?: (?P<pod>%POD%)(?!s))?",
    ),
    (
        "relday",
        r"(?:(?P<mod>early|late|earlier|later|mid-morning|mid-afternoon) )?"
        r"(?:the day (?P<dir>before|after) )?(?P<dayw>%DAYW%)(?!['’]s)(?: (?P<pod>%POD%)(?!s))?"
        r"|(?P<dayw2>yesterday|tomorrow)(?=['’]s)",
    ),
    (
        "anaday",
        r"(?:(?P<mod>earlier|later|early|late) )?(?:that|that same|the same) (?P<pod>day|morning|afternoon|"
        r"evening|night)|(?P<rel>the next|the following|the previous) (?P<pod2>day|morning|afternoon|evening|"
        r"night)",
    ),
    ("podrel", r"(?:(?P<mod>early|late|earlier|later) )?(?P<rel>this|last) (?P<pod>%POD%)(?!s)"),
    ("set", r"(?:every|each|per) (?:(?P<num>%NUM%|other) )?(?P<unit>%UNIT%|%WD%|%MONTH%|%POD%)"),
    ("set", r"(?P<num>once|twice|thrice|%NUM% times) (?:a|an|per|each|every) (?P<unit>%UNIT%)"),
    ("set", r"(?P<wd>%WD%)s(?: (?P<pod>%POD%))?|(?P<wd2>%WD%) (?P<pod2>mornings|afternoons|evenings|nights)"),
    ("set", r"(?P<adv>%SETW%)"),
    (
        "decade",
        r"(?:(?P<mod>%MOD%)(?:-| ))?(?:the )?(?:(?P<mod2>early|mid|late)(?:-| ))?"
        r"(?:(?P<dec>(?:1[0-9]|20)\d0)'?s|'(?P<dec2>\d0)s|(?P<decw>twenties|thirties|forties|fifties|"
        r"sixties|seventies|eighties|nineties))",
    ),
    (
        "century",
        r"(?:the )?(?:(?P<mod>early|mid|late)(?:-| ))?(?:(?P<cnum>\d{1,2})(?:st|nd|rd|th)|"
        r"(?P<cword>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
        r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
        r"twentieth|twenty-first)) century",
    ),
    (
        "year",
        r"(?:the )?(?P<pre>fiscal year|fiscal|calendar year|calendar|financial year|model year|FY) ?"
        r"(?P<year>%YEAR%|'\d\d)",
    ),
    ("year", r"(?:(?P<mod>%MOD%)(?:-| ))?(?P<year>%YEAR%)"),
    (
        "duration",
        r"(?:(?!over |under )(?P<approx0>%APPROX%) )?(?:(?P<det>the|each of the|all|another) )?"
        r"(?:(?P<rel>past|last|next|first|coming|latest|previous|final|preceding|remaining|"
        r"year-earlier|initial|prior|following|same|full|entire) )?(?:(?P<approx>%APPROX%) )?"
        r"(?P<num>%NUM%|an?|a few|several|a couple of|a couple|couple of|many|some|few|"
        r"a number of)(?P<frac> and a half| \d/\d|½| to %NUM%| or %NUM%)? "
        r"(?:(?P<more>more|additional|further|extra|consecutive|straight|full|long|trading|"
        r"business|working|calendar) )?(?P<unit>%UNIT%)(?P<orso> or so| and a half)?(?![\w-])",
    ),
    (
        "duration",
        r"(?P<num>%NUM%|\d+(?:\.\d+)?)-(?P<unit>second|minute|hour|day|night|week|month|quarter|"
        r"year|decade|century)(?:-long)?(?![\w-])",
    ),
    (
        "fuzzy",
        r"(?:(?P<det>the|these) )?(?:(?P<fz>recent|coming|past|last|next|previous|early|ensuing|"
        r"following|intervening|subsequent) )?(?:(?P<few>few|several|couple of) )?"
        r"(?P<unit>years|months|weeks|days|decades|centuries|quarters)(?P<ahead> ahead| to come)?"
        r"(?: (?:or|and) (?P<unit2>years|months|weeks|days))?",
    ),
    ("ref", r"(?P<ref>%REF%)(?! (?:%NUM%|an?|few|several|couple|many|some|%UNIT%)\b)(?!-)"),
)
