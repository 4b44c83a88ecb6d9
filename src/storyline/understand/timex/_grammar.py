"""The compiled regex grammar that finds time expressions (one grammar per language).

A grammar is a list of rules ``(kind, template)``. Templates are regexes in which a space stands
for ``\\s+`` and ``%NAME%`` for a fragment of the language's vocabulary (``%MONTH%``, ``%WD%``,
``%UNIT%``...; see ``_fragments``). Each rule's named groups carry what the normaliser needs
(``month``, ``day``, ``year``, ``wd``, ``rel``, ``num``, ``unit``...). All rules are joined into one
alternation, in priority order (longer, more specific rules first), and scanned once; the rule that
matched is then re-run alone on the span to read its groups.

The rules themselves live in ``_rules_en``, ``_rules_intl`` and ``_rules_more``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from storyline.understand.timex._dispatch import Dispatch
from storyline.understand.timex._holidays import HOLIDAYS
from storyline.understand.timex._languages import lexicon_for
from storyline.understand.timex._lexicon import Lexicon
from storyline.understand.timex._numbers import number_pattern, word_alternation
from storyline.understand.timex._rules_en import RULES_EN
from storyline.understand.timex._rules_intl import INTL_RULES
from storyline.understand.timex._rules_more import MORE_RULES

__all__ = ["Grammar", "Rule", "grammar_for"]

LOGGER = logging.getLogger(__name__)

_FLAGS = re.IGNORECASE | re.UNICODE
_WORD_START = re.compile(r"(?<![\w'’-])(?:(\w+)|[^\w\s])")
Accept = Callable[["Rule", re.Match[str]], int | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern of the grammar and the kind of value it produces."""

    kind: str
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Grammar:
    """All rules of a language, the first-word ``dispatch`` over them, and ``combined``: every rule
    in one alternation (group ``r{i}`` is ``rules[i]``), the slow reference the fast scan must equal.
    """

    lexicon: Lexicon
    rules: tuple[Rule, ...]
    combined: re.Pattern[str]
    dispatch: Dispatch

    def scan(self, text: str, accept: Accept) -> None:
        """Offer ``accept`` each rule match, left to right; it returns the end of what it kept, or
        ``None`` to reject (the scan then goes on at the next word). At each word the first rule
        (in priority order) that matches is offered, as in ``combined``.
        """
        pos = 0
        dispatch = self.dispatch
        for word in dispatch.starts().finditer(text):
            start = word.start()
            if start < pos:
                continue
            key = word.group(1) or word.group(0)
            indices: Sequence[int] = (
                dispatch.rules_at(key.lower(), text, word.end()) if key[0].isalnum() else dispatch.non_word
            )
            for index in indices:
                m = self.rules[index].regex.match(text, start)
                if m is not None:
                    end = accept(self.rules[index], m)
                    if end is not None:
                        pos = end
                    break

    def scan_reference(self, text: str, accept: Accept) -> None:
        """``scan`` done the slow way: the whole alternation searched from each position."""
        pos = 0
        while (m := self.combined.search(text, pos)) is not None:
            rule = self.rules[int((m.lastgroup or "r0")[1:])]
            sub = rule.regex.match(text, m.start())
            end = accept(rule, sub) if sub is not None else None
            pos = end if end is not None else m.start() + 1


def _alt(words: Iterable[object]) -> str:
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
        "HOLIDAY": rf"(?:{_alt(HOLIDAYS.get(lex.lang, {}))})" if HOLIDAYS.get(lex.lang) else "(?!)",
    }


def _fill(template: str, fragments: dict[str, str]) -> str:
    """Fragments put in, a space made ``\\s+`` (``\\s`` inside a character class)."""
    source = re.sub(r"%([A-Z]+)%", lambda m: fragments[m.group(1)], template)
    return _SPACE_OR_CLASS.sub(
        lambda m: m.group(0).replace(" ", r"\s") if m.group(0) != " " else r"\s+", source
    )


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_SPACE_OR_CLASS = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]| ")


@functools.cache
def grammar_for(language: str | None) -> Grammar:
    """The compiled grammar of ``language`` (English for unknown languages), built once."""
    lex = lexicon_for(language)
    fragments = _fragments(lex)
    templates = RULES_EN if lex.lang == "en" else {**INTL_RULES, **MORE_RULES}[lex.lang]
    rules: list[Rule] = []
    sources: list[str] = []
    for kind, template in templates:
        source = _fill(template, fragments)
        try:
            rules.append(Rule(kind, re.compile(rf"(?:{source})(?!\w)", _FLAGS)))
        except re.error as e:
            raise ValueError(f"timex rule {kind!r} for {lex.lang} does not compile: {e}") from e
        sources.append(f"(?P<r{len(sources)}>{_NAMED_GROUP.sub('(?:', source)})")
    combined = re.compile(r"(?<![\w'’-])(?:" + "|".join(sources) + r")(?!\w)", _FLAGS)
    LOGGER.debug("timex grammar %s: %d rules", lex.lang, len(rules))
    dispatch = Dispatch.build([rule.regex for rule in rules])
    return Grammar(lex, tuple(rules), combined, dispatch)
