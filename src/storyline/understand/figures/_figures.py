"""Figures: the quantities an article states, with what they count and their unit, normalised.

``find_figures`` scans the text once with a compiled pattern per language (a number in digits or
words, with an optional currency sign before it and a scale, ``-strong`` or percent after it), then
reads the words around each number:

- value: the number times its scale (``$1.2 billion`` -> 1.2e9, ``€50m`` -> 5e7, ``zwei Millionen`` ->
  2e6); percentages become fractions with unit ``%`` (``2%`` -> 0.02), fractions stay fractions
  (``two-thirds`` -> 0.667);
- unit: an ISO 4217 code for money (a sign before, or ``dollars``, ``Euro``... after), ``%``, ``pp``
  (percentage points) or a measure (``km``, ``t``, ``bbl``...);
- counts: what is counted: ``of`` + a noun phrase (``2% of gross domestic product``), else the noun
  after the number (its head: the last word in English and German, the first in French and Spanish:
  ``2,500 troops``, ``9,600-strong support mission`` -> ``mission``, ``2 500 soldats américains`` ->
  ``soldats``), else in English ``the number of X ... to N`` before it.

Not figures: years, dates and times (``May 1``, ``1. Mai``, ``10:30``, ``9 a.m.``), ordinals, labels
(``Article 5``, ``S-400``), durations (a number of days, months, years: time expressions), and the
lone word ``one``.

>>> [(f.text, f.value, f.unit, f.counts) for f in find_figures(
...     "a 9,600-strong mission and 2% of gross domestic product", article_id="a", language="en")]
[('9,600-strong', 9600.0, None, 'mission'), ('2%', 0.02, '%', 'gross domestic product')]
"""

from __future__ import annotations

import functools
import logging
import re

from storyline.model import Figure
from storyline.understand.figures import _lexicon as lx
from storyline.understand.figures._counts import counted, next_words, number_of_before
from storyline.understand.timex import (
    digits_pattern,
    lexicon_for,
    number_words_pattern,
    parse_number,
    word_alternation,
)

__all__ = ["find_figures"]

LOGGER = logging.getLogger(__name__)

_FLAGS = re.IGNORECASE | re.UNICODE
_LONE_WORDS = frozenset(
    {"one", "a", "an", "ein", "eine", "einen", "einem", "einer", "un", "une", "uno", "una"}
)
_TIME_AFTER = re.compile(
    r"^(?:\s*(?::\d\d|[ap]\.?m\b|uhr\b|h\d\d|heures?\b|horas?\b|o'clock\b)|[./]\d)", re.IGNORECASE
)
_TIME_BEFORE = re.compile(r"(?:\d[:/]|\d\.(?=\d+\.\d))$")
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th|er|re|e|ème|eme|º|°|ª)\b", re.IGNORECASE)
_LABEL_BEFORE = re.compile(r"(?:[A-Za-z]-|[A-Za-z]|§\s*|#)$")
_GERMAN_ORDINAL_AFTER = re.compile(
    r"^\.\s+(?:[a-zäöüß]|(?:Jahrhundert|Quartal|Halbjahr|Platz|Runde|Mal|Stelle|Klasse|Liga|Januar|Februar|"
    r"März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\b)"
)
_TOKEN = re.compile(r"(?<![\w'’-])(?:[$€£¥₹₽]|\w[\w'’-]*)")
_DATE_LIKE = re.compile(r"\b\d{4}-\d\d-\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{1,2}/\d{1,2}\b")
_YEAR_CONTEXT = re.compile(r"\b(?:in|since|by|until|from|of|the|year|im|seit|en|depuis|desde|año|jahr)\s*$")


def _alt(words: object) -> str:
    return word_alternation(words).replace(r"\ ", r"\s+")  # type: ignore[arg-type]


@functools.cache
def _pattern(lang: str) -> re.Pattern[str]:
    symbols = _alt(lx.CURRENCY_SYMBOLS)
    words = number_words_pattern(lang)
    scales = _alt(lx.SCALE_WORDS)
    fractions = _alt(lx.FRACTIONS)
    source = (
        rf"(?P<frac>(?:(?P<fnum>\d+|{words})[\s-]+|\b(?:a|an|one|un|une|ein|eine|la|die|el|los)\s+)"
        rf"(?P<fword>{fractions})(?!\w))"
        rf"|(?:(?P<cur>{symbols})\s?)?(?P<num>{digits_pattern(lang)}|{words})"
        r"(?P<suffix>(?:bn|mn|tn|tr|m|b|k)(?![\w]))?(?P<strong>-strong)?"
        rf"(?:\s*(?P<scale>{scales})(?![\w]))?"
    )
    return re.compile(source, _FLAGS)


@functools.cache
def _unit_patterns() -> tuple[tuple[re.Pattern[str], dict[str, object]], ...]:
    linker = r"(?:\s+(?:de|of)\s+|\s+d['’])?"
    return (
        (re.compile(rf"\s?({_alt(lx.PERCENT_WORDS)})(?![\w])", _FLAGS), dict(lx.PERCENT_WORDS)),
        (
            re.compile(rf"{linker}\s?({_alt(lx.CURRENCY_WORDS)})(?![\w])(?!\s+of\b)", _FLAGS),
            lx.CURRENCY_WORDS,
        ),
        (re.compile(rf"{linker}\s?({_alt(lx.UNIT_WORDS)})(?![\w])", _FLAGS), lx.UNIT_WORDS),
    )


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    """A percent, currency or measure word right after ``end``: (unit, new end)."""
    for pattern, table in _unit_patterns():
        m = pattern.match(text, end)
        if m is not None:
            return str(table[re.sub(r"\s+", " ", m.group(1).casefold())]), m.end()
    return None, end


def _skip(text: str, m: re.Match[str], lang: str) -> bool:
    """Years, dates, times, ordinals, labels and lone ``one`` are not figures."""
    start, end = m.start("num"), m.end("num")
    raw = m.group("num")
    before, after = text[max(0, start - 25) : start], text[end : end + 25]
    if _TIME_AFTER.match(after) or _TIME_BEFORE.search(before) or _ORDINAL_AFTER.match(after):
        return True
    if _LABEL_BEFORE.search(before) and not m.group("cur"):
        return True
    words_before = before.casefold().split()
    if words_before and words_before[-1].rstrip(":") in lx.NOT_A_FIGURE_BEFORE:
        return True
    months = lexicon_for(lang).months
    abbrevs = lexicon_for(lang).month_abbrevs
    ahead = [w.casefold().strip(".,;:()") for w in after.split()[:2]]
    next_word = ahead[0] if ahead else ""
    if next_word in ("de", "of") and len(ahead) > 1:
        next_word = ahead[1]  # "1 de mayo", "the 5th of May"
    prev_word = words_before[-1].strip(".,;:()") if words_before else ""
    if next_word in months or prev_word in months or prev_word in abbrevs or next_word in abbrevs:
        return True
    if (
        lang == "de"
        and after.startswith(". ")
        and not m.group("scale")
        and _GERMAN_ORDINAL_AFTER.match(after)
    ):
        return True  # "1. Mai", "20. Jahrhundert", "3. Runde": an ordinal
    if raw.casefold() in _LONE_WORDS and not (m.group("scale") or m.group("suffix")):
        return True
    is_year = raw.isdigit() and len(raw) == 4 and 1000 <= int(raw) <= 2099
    if is_year and not (m.group("cur") or m.group("scale") or m.group("suffix")):
        following = next_words(text, m.end(), 1)
        word = following[0].group(0).casefold() if following else ""
        if _YEAR_CONTEXT.search(before.casefold()) or not word or word in lx.STOPWORDS.get(lang, frozenset()):
            return True
    return False


def _scale(m: re.Match[str], lang: str) -> float:
    scale = 1.0
    if m.group("suffix") and (m.group("cur") or lang == "en"):
        scale = lx.SCALE_SUFFIXES.get(m.group("suffix").casefold(), 1.0)
    elif m.group("suffix"):
        return -1.0  # "50m" without a currency sign: metres or a label, not a figure
    if m.group("scale"):
        word = re.sub(r"\s+", " ", m.group("scale").casefold())
        if lang in ("de", "fr") and word in ("billion", "billions"):
            scale *= 1e12  # the long scale: German and French "Billion" is a million millions
        else:
            found = lx.SCALE_WORDS.get(word, 1.0)
            scale *= found if isinstance(found, float) else 1.0
    return scale


@functools.cache
def _starts(lang: str) -> re.Pattern[str]:
    """Where a figure may start: a digit, a currency sign or code, a number word, a fraction article."""
    words = number_words_pattern(lang)
    codes = _alt(w for w in lx.CURRENCY_SYMBOLS if w[0].isalpha())
    return re.compile(
        rf"(?<![\w'’-])(?:[\d$€£¥₹₽]|(?:{words}|{codes}|a|an|one|un|une|ein|eine|la|die|el|los)(?![\w]))",
        _FLAGS,
    )


def _date_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DATE_LIKE.finditer(text)]


def find_figures(text: str, *, article_id: str, language: str | None) -> list[Figure]:
    """Every quantity of ``text`` in order (see the module docstring for what is kept and how)."""
    lang = lexicon_for(language).lang
    head_last = lang in ("en", "de")
    figures: list[Figure] = []
    pattern = _pattern(lang)
    dates = _date_spans(text)
    pos = 0
    for found in _starts(lang).finditer(text):
        start = found.start()
        if start < pos:
            continue
        m = pattern.match(text, start)
        if m is None or m.end() == start:
            continue
        pos = m.end()
        if any(a <= m.start() < b for a, b in dates):
            continue
        if m.group("frac"):
            figure = _fraction(text, m, lang, article_id)
            if figure is not None:
                figures.append(figure)
            continue
        if _skip(text, m, lang):
            continue
        number = parse_number(m.group("num"), lang)
        scale = _scale(m, lang)
        if number is None or scale < 0:
            continue
        end = m.end()
        unit = lx.CURRENCY_SYMBOLS.get(m.group("cur").casefold().strip()) if m.group("cur") else None
        after_unit, after_end = _unit_after(text, end)
        if after_unit is not None and (unit is None or after_unit in ("%", "pp")):
            unit, end = after_unit, after_end
        value = number * scale
        if unit in ("%", "pp"):
            value /= 100
        elif unit is None and not m.group("scale") and not m.group("strong"):
            first = next_words(text, end, 1)
            if first and first[0].group(0).casefold() in lx.TIME_UNITS:
                continue  # "three months": a duration, a time expression
            if re.match(r"-(?:year|month|week|day|hour|minute)", text[end : end + 8], re.IGNORECASE):
                continue  # "70-year-old"
        measured = unit is not None and unit not in ("%", "pp")  # money and measures: counts only with "of"
        counts = counted(text, end, lang, head_last)
        if measured and not re.match(
            r"\s+(?:of|de|d['’]|du|des|del|der)\b", text[end : end + 6], re.IGNORECASE
        ):
            counts = None
        if counts is None and unit is None and lang == "en":
            counts = number_of_before(text, m.start())
        if counts is None and unit is None and not m.group("scale") and not m.group("num")[0].isdigit():
            continue  # a number word on its own ("two of them") is not a figure
        start = m.start("cur") if m.group("cur") else m.start("num")
        figures.append(Figure(article_id, start, end, text[start:end], value, unit, counts))
    LOGGER.debug("figures: %s: %d figures", article_id, len(figures))
    return figures


def _fraction(text: str, m: re.Match[str], lang: str, article_id: str) -> Figure | None:
    """``two-thirds``, ``a quarter of``, ``zwei Drittel``, ``la moitié``."""
    part = lx.FRACTIONS.get(m.group("fword").casefold())
    if not isinstance(part, float):
        return None
    fnum = m.group("fnum")
    times = parse_number(fnum, lang) if fnum else 1.0
    if times is None:
        return None
    tail = text[m.end() : m.end() + 12].casefold()
    needs_of = (
        m.group("fword").casefold().startswith(("quarter", "quart", "cuarto", "viertel", "half", "third"))
    )
    if not fnum and needs_of and not re.match(r"\s*(?:of|der|des|de|du|del)\b", tail):
        return None
    if (
        fnum
        and re.match(r"\s*(?:of|der|des|de|du|del)\b", tail) is None
        and m.group("fword").casefold().startswith("quarter")
    ):
        return None  # "three quarters" of a year is a time expression
    counts = counted(text, m.end(), lang, lang in ("en", "de"))
    start, end = m.start(), m.end()
    return Figure(article_id, start, end, text[start:end], round(times * part, 6), None, counts)
