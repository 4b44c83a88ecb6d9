"""The compiled regex grammar that finds time expressions (one grammar per language).

A grammar is a list of rules ``(kind, template)``. Templates are regexes in which a space stands
for ``\\s+`` and ``%NAME%`` for a fragment of the language's vocabulary (``%MONTH%``, ``%WD%``,
``%UNIT%``...; see ``_fragments``). Each rule's named groups carry what the normaliser needs
(``month``, ``day``, ``year``, ``wd``, ``rel``, ``num``, ``unit``...). All rules are joined into one
alternation, in priority order (longer, more specific rules first), and scanned once; the rule that
matched is then re-run alone on the span to read its groups.

English rules live here; German, French and Spanish ones in ``timex_rules_intl``.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from storyline.understand.timex_lexicon import Lexicon, lexicon_for
from storyline.understand.timex_numbers import number_pattern, word_alternation
from storyline.understand.timex_rules_intl import INTL_RULES

__all__ = ["Grammar", "Rule", "grammar_for"]

LOGGER = logging.getLogger(__name__)

_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern of the grammar and the kind of value it produces."""

    kind: str
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Grammar:
    """All rules of a language, joined into ``combined`` (group ``r{i}`` is ``rules[i]``)."""

    lexicon: Lexicon
    rules: tuple[Rule, ...]
    combined: re.Pattern[str]


def _alt(words: object) -> str:
    return word_alternation(words).replace(r"\ ", " ")


_YEAR = r"(?<![\d$€£¥.,])(?:1[0-9]\d\d|20\d\d)(?![\d%]|[.,]\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?!\d|:\d)"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_YEARW = (
    rf"(?:(?:nineteen|twenty)(?:-| )(?:(?:{_TENS})(?:(?:-| )(?:{_ONES}))?|{_TEENS}|hundred)|"
    rf"two thousand(?:(?: and)? (?:{_ONES}|{_TEENS}))?)"
)


def _fragments(lex: Lexicon) -> dict[str, str]:
    abbrevs = _alt(lex.month_abbrevs)
    rel = (*lex.last, *lex.next, *lex.this)
    return {
        "MONTH": rf"(?:{_alt(lex.months)}|(?:{abbrevs})\.|(?:{abbrevs})(?= \d))",
        "WD": rf"(?:{_alt(lex.weekdays)})",
        "DAY": _DAY,
        "YEAR": _YEAR,
        "NUM": number_pattern(lex.lang),
        "UNIT": rf"(?:{_alt(lex.units)})",
        "POD": rf"(?:{_alt(lex.parts_of_day)})",
        "SEASON": rf"(?:{_alt(lex.seasons)})",
        "ORD": rf"(?:{_alt(lex.ordinals)})",
        "DAYW": rf"(?:{_alt(lex.days)})",
        "REL": rf"(?:{_alt(rel)})",
        "LAST": rf"(?:{_alt(lex.last)})",
        "NEXT": rf"(?:{_alt(lex.next)})",
        "THIS": rf"(?:{_alt(lex.this)})",
        "MOD": rf"(?:{_alt((*lex.begin, *lex.middle, *lex.end))})",
        "APPROX": rf"(?:{_alt(lex.approx)})",
        "FUZZY": rf"(?:{_alt(lex.fuzzy)})",
        "REF": rf"(?:{_alt(lex.refs)})",
        "SETW": rf"(?:{_alt(lex.sets)})",
        "EVERY": rf"(?:{_alt(lex.every)})",
        "AGO": rf"(?:{_alt(lex.ago)})",
        "TENS": _TENS,
        "ONES": _ONES,
        "TEENS": _TEENS,
        "YEARW": _YEARW,
    }


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

_RULES_EN: tuple[tuple[str, str], ...] = (
    ("clock", rf"(?:(?P<approx>around|about|approximately|roughly) )?{_CLOCK}{_TZ}"
              r"(?:,? (?:on )?(?P<wd>%WD%)|,? (?P<dayw>yesterday|today|tomorrow|tonight)"
              r"|,? (?P<month>%MONTH%) (?P<day>%DAY%))?"),
    ("clock", r"(?P<hour>[01]?\d) (?:o'clock )?in the (?P<pod>morning|afternoon|evening)"),
    ("numdate", r"(?P<year>(?:1[0-9]|20)\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>[0-2]\d|3[01])"
                r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d))?(?!\d)"),
    ("numdate", r"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:1[0-9]|20)?\d\d)(?![\d/])"),
    ("date", r"(?:(?P<wd>%WD%),? )?(?P<month>%MONTH%) (?P<day>%DAY%)(?:st|nd|rd|th)?(?!,\d)"
             r"(?:,? (?P<year>%YEAR%))?"),
    ("date", r"(?:(?P<wd>%WD%),? )?(?:the )?(?P<day>%DAY%)(?:st|nd|rd|th)? (?:of )?(?P<month>%MONTH%)"
             r"(?:,? (?P<year>%YEAR%))?"),
    ("half", rf"(?:the )?(?P<ord>first|second|last|latter|1st|2nd) half (?:of )?"
             rf"(?:(?P<year>%YEAR%)|(?:fiscal )?(?P<fyear>%YEAR%)|(?P<rel>{_RELX}|the) year)?"),
    ("quarter", rf"(?:(?P<det>the|its|a|an|this|that|this year's|last year's|next year's) )?"
                rf"(?:(?P<year>%YEAR%) )?(?:(?P<adj>{_FIN_ADJ})[ -])*"
                r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[ -](?:(?:fiscal|calendar)[ -])?"
                r"(?P<unit>quarter|qtr\.?)(?: (?:of|in) (?:fiscal |calendar )?(?P<year2>%YEAR%))?"),
    ("quarter", r"(?P<qn>[1-4])Q(?P<yy>\d\d)?|Q(?P<qn2>[1-4])(?:[ /-]?(?P<year>%YEAR%))?"),
    ("ago", r"(?:(?P<approx>%APPROX%) )?(?P<num>%NUM%|an?|a few|several|a couple of|a couple|many|some)"
            r" (?:(?P<more>more) )?(?P<unit>%UNIT%)(?: or so)? (?P<ago>ago|earlier|later|from now|hence)"),
    ("in", r"(?<=\bin\s)(?P<num>%NUM%|an?) (?P<unit>days?|weeks?|months?|years?|hours?|minutes?)"
           r"(?! (?:of|ago|earlier|later|old|time)\b|')"),
    ("qanaph", rf"(?P<det>the|its) (?P<year>%YEAR%) (?:(?P<adj>{_FIN_ADJ})[ -])*(?P<what>quarter|period)(?![\w-])"),
    ("qanaph", rf"(?P<det>the|this|that|its|last year's|a) (?:(?P<adj>{_FIN_ADJ})[ -])*"
               r"(?P<what>quarter|period)(?! (?:of|in) (?:%YEAR%|fiscal))(?![\w-])"
               r"(?P<ago> a year (?:ago|earlier)| last year| of last year)?"),
    ("qanaph", r"(?P<adj>year-ago|year-earlier|year-before)(?: (?P<what>quarter|period))?"),
    ("yearword", r"(?:the year )?(?P<yw>%YEARW%)(?! (?:%UNIT%|people|dollars|troops|years)\b)(?!-)"),
    ("relunit", rf"(?:(?P<mod>%MOD%|earlier|later|sometime|around)(?:-| ))?(?P<rel>{_RELX}) "
                r"(?P<unit>weekend|week|month|year|quarter|decade|century|fiscal year)(?![\w-])(?!'s? \d)"),
    ("relunit", r"(?P<mod>%MOD%|earlier|later|around) (?:in )?(?P<rel>the) "
                r"(?P<unit>week|month|year|decade|century)(?![\w-])"),
    ("relunit", r"(?P<rel>the) (?:(?P<full>full|entire|fiscal|current fiscal) )?(?P<unit>weekend|year)"
                r"(?! (?:before|after|earlier|ago)\b)(?![\w-])"),
    ("relunit", r"(?:(?P<mod>around|by) )?(?P<unit>year)(?P<rel>-end| end|'s end)"),
    ("season", rf"(?:(?P<mod>%MOD%)(?:-| ))?(?:(?P<rel>{_RELX}|the) )?(?P<season>%SEASON%)"
               r"(?: (?:of )?(?P<year>%YEAR%))?"),
    ("month", r"(?:(?P<mod>%MOD%)(?:-| ))?(?P<month>%MONTH%),?(?: of)? (?:(?P<year>%YEAR%)|(?P<yw>%YEARW%))"),
    ("month", rf"(?:(?P<mod>%MOD%)(?:-| ))?(?:(?P<rel>{_RELX}) )?(?P<month>%MONTH%)"
              rf"(?: (?:of )?(?P<relyear>{_RELX}) year)?"),
    ("weekday", rf"(?:(?P<mod>early|late|earlier|later|mid|until|since) )?(?:(?P<rel>{_RELX}) )?"
                r"(?P<wd>%WD%)(?: (?P<pod>%POD%)(?!s))?"),
    ("relday", r"(?:(?P<mod>early|late|earlier|later|mid-morning|mid-afternoon) )?"
               r"(?:the day (?P<dir>before|after) )?(?P<dayw>%DAYW%)(?:'s)?(?: (?P<pod>%POD%)(?!s))?"),
    ("podrel", r"(?:(?P<mod>early|late|earlier|later) )?(?P<rel>this|last) (?P<pod>%POD%)(?!s)"),
    ("set", r"(?:every|each|per) (?:(?P<num>%NUM%|other) )?(?P<unit>%UNIT%|%WD%|%MONTH%|%POD%)"),
    ("set", r"(?P<num>once|twice|thrice|%NUM% times) (?:a|an|per|each|every) (?P<unit>%UNIT%)"),
    ("set", r"(?P<wd>%WD%)s(?: (?P<pod>%POD%))?|(?P<wd2>%WD%) (?P<pod2>mornings|afternoons|evenings|nights)"),
    ("set", r"(?P<adv>%SETW%)"),
    ("decade", r"(?:(?P<mod>%MOD%)(?:-| ))?(?:the )?(?:(?P<mod2>early|mid|late)(?:-| ))?"
               r"(?:(?P<dec>(?:1[0-9]|20)\d0)'?s|'(?P<dec2>\d0)s|(?P<decw>twenties|thirties|forties|fifties|"
               r"sixties|seventies|eighties|nineties))"),
    ("century", r"(?:the )?(?:(?P<mod>early|mid|late)(?:-| ))?(?:(?P<cnum>\d{1,2})(?:st|nd|rd|th)|"
                r"(?P<cword>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
                r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
                r"twentieth|twenty-first)) century"),
    ("year", r"(?:the )?(?P<pre>fiscal year|fiscal|calendar year|calendar|financial year|model year|FY) ?"
             r"(?P<year>%YEAR%|'\d\d)"),
    ("year", r"(?:(?P<mod>%MOD%)(?:-| ))?(?P<year>%YEAR%)"),
    ("duration", r"(?:(?P<approx0>%APPROX%) )?(?:(?P<det>the|each of the|all|another) )?"
                 r"(?:(?P<rel>past|last|next|first|coming|latest|previous|final|preceding|remaining|"
                 r"year-earlier|initial|prior|following|same|full|entire) )?(?:(?P<approx>%APPROX%) )?"
                 r"(?P<num>%NUM%|an?|a few|several|a couple of|a couple|couple of|many|some|few|"
                 r"a number of)(?P<frac> and a half| \d/\d|½| to %NUM%| or %NUM%)? "
                 r"(?:(?P<more>more|additional|further|extra|consecutive|straight|full|long|trading|"
                 r"business|working|calendar) )?(?P<unit>%UNIT%)(?P<orso> or so| and a half)?(?![\w-])"),
    ("duration", r"(?P<num>%NUM%|\d+(?:\.\d+)?)-(?P<unit>second|minute|hour|day|night|week|month|quarter|"
                 r"year|decade|century)(?:-long)?(?![\w-])"),
    ("fuzzy", r"(?:(?P<det>the|these) )?(?:(?P<fz>recent|coming|past|last|next|previous|early|ensuing|"
              r"following|intervening|subsequent) )?(?:(?P<few>few|several|couple of) )?"
              r"(?P<unit>years|months|weeks|days|decades|centuries|quarters)(?P<ahead> ahead| to come)?"
              r"(?: (?:or|and) (?P<unit2>years|months|weeks|days))?"),
    ("ref", r"(?P<ref>%REF%)(?! (?:%NUM%|an?|few|several|couple|many|some|decade|century)\b)(?!-)"),
)


def _fill(template: str, fragments: dict[str, str]) -> str:
    source = re.sub(r"%([A-Z]+)%", lambda m: fragments[m.group(1)], template)
    return source.replace(" ", r"\s+")


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


@functools.cache
def grammar_for(language: str | None) -> Grammar:
    """The compiled grammar of ``language`` (English for unknown languages), built once."""
    lex = lexicon_for(language)
    fragments = _fragments(lex)
    templates = _RULES_EN if lex.lang == "en" else INTL_RULES[lex.lang]
    rules: list[Rule] = []
    sources: list[str] = []
    for kind, template in templates:
        source = _fill(template, fragments)
        try:
            rules.append(Rule(kind, re.compile(source, _FLAGS)))
        except re.error as e:
            raise ValueError(f"timex rule {kind!r} for {lex.lang} does not compile: {e}") from e
        sources.append(f"(?P<r{len(sources)}>{_NAMED_GROUP.sub('(?:', source)})")
    combined = re.compile(r"(?<![\w'’-])(?:" + "|".join(sources) + r")(?!\w)", _FLAGS)
    LOGGER.debug("timex grammar %s: %d rules", lex.lang, len(rules))
    return Grammar(lex, tuple(rules), combined)
