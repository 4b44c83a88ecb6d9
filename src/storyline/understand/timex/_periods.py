"""Normalisers for calendar periods: weeks, months, years, quarters, halves, seasons, decades, centuries.

``last week`` -> ``2021-W06``; ``the third quarter`` -> ``2021-Q3`` (the anchor's year, or the year
before when that quarter has not begun yet); ``the quarter`` / ``a year earlier`` in an earnings
report follow the last quarter the text named (TimeBank convention).
"""

from __future__ import annotations

import logging
import re

from storyline.understand.timex._calendar import fmt, quarter_of, shift, weekend_of
from storyline.understand.timex._context import Context, Resolved, group, rel_of, rel_word, year_of_words

__all__ = ["PERIOD_HANDLERS"]

LOGGER = logging.getLogger(__name__)

_UNIT_CODE = {
    "week": "W", "month": "M", "year": "Y", "quarter": "Q", "decade": "DE", "century": "CE",
    "weekend": "WE", "fiscal year": "Y",
}  # fmt: skip
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_YEAR_ENDED = re.compile(r"\s+(?:ended|ending|ends|to date)\b")
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip
_CENTURY_WORDS = {
    w: i + 1
    for i, w in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
            "twenty-first",
        ]
    )
}
_YEAR_AFTER_NOT = {  # a percentage, or (English) a count of something: "2000 people"
    "en": re.compile(r"^\s*(?:%|percent|per cent|[a-z]+s\b(?<!\bas)(?<!\bis)(?<!\bwas)(?<!\bhas))"),
    "de": re.compile(r"^\s*(?:%|prozent)"),
    "fr": re.compile(r"^\s*(?:%|pour cent)"),
    "es": re.compile(r"^\s*(?:%|por ciento)"),
}
_YEAR_BEFORE_NOT = re.compile(
    r"(?:\b(?:no|nr|number|article|artikel|artículo|section|paragraph|flight|route|room|page|chapter|model)"
    r"\.?|[#§°º])\s*$"
)
_OLD_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|of|from|by|until|to|and|year|ad|bc|the|circa|c\.|im|seit|von|bis|jahr|en|depuis|de|"
    r"an|année|desde|año)\s*$"
)


def _unit(m: re.Match[str], ctx: Context) -> str | None:
    word = group(m, "unit")
    if word is None:
        return None
    code = _UNIT_CODE.get(word)
    if code is None:
        found = ctx.lex.units.get(word)
        code = found if isinstance(found, str) else None
    return code


def _anaphoric(rel: str, unit: str, ctx: Context) -> Resolved | None:
    """``that year``, ``the following month``: relative to the last year or month the text named."""
    step = {"that": 0, "the same": 0, "the following": 1, "following": 1, "the previous": -1}.get(rel)
    if step is None:
        return None
    if unit == "Y" and ctx.last_year:
        return "DATE", f"{ctx.last_year + step:04d}"
    if unit == "M" and ctx.last_month:
        year, month = divmod(ctx.last_month[0] * 12 + ctx.last_month[1] - 1 + step, 12)
        return "DATE", f"{year:04d}-{month + 1:02d}"
    return None if rel == "that" else ("DATE", "") if ctx.anchor is None else None


def _relunit(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = _unit(m, ctx)
    rel = rel_word(m) or ""
    if unit is None:
        return None
    if rel in ("-end", "end", "'s end"):
        return ("DATE", fmt(ctx.anchor, "Y")) if ctx.anchor else ("DATE", "")
    if rel == "the" and unit == "Y" and not group(m, "mod") and _YEAR_ENDED.match(ctx.after(m.end())):
        return "DURATION", "P1Y"  # "for the year ended June 30": a span of a year
    if rel in ("that", "the same", "the following", "following", "the previous") and unit in ("Y", "M"):
        found = _anaphoric(rel, unit, ctx)
        if found is not None or rel == "that":
            return found
    offset = rel_of(rel, ctx.lex)
    if offset is None:
        return None
    if unit in ("DE", "CE") and rel == "the past":
        return "DURATION", "P10Y" if unit == "DE" else "P100Y"  # TimeBank: "the past decade"
    if ctx.anchor is None:
        return "DATE", ""
    if unit == "WE":
        direction = offset or ctx.direction(m.start(), m.end())
        return "DATE", fmt(weekend_of(ctx.anchor, direction), "WE")
    if unit == "Q" and offset == 0 and ctx.last_quarter and rel in ("the", "the same"):
        return "DATE", f"{ctx.last_quarter[0]:04d}-Q{ctx.last_quarter[1]}"
    return "DATE", fmt(shift(ctx.anchor, offset, unit), unit)


def _season(m: re.Match[str], ctx: Context) -> Resolved | None:
    code = ctx.lex.seasons.get(group(m, "season") or "")
    rel, year = rel_word(m), group(m, "year") or year_of_words(group(m, "yw") or "")
    if not isinstance(code, str) or not (rel or year or group(m, "mod")):
        return None
    if year:
        return "DATE", f"{year}-{code}"
    if ctx.anchor is None:
        return "DATE", f"XXXX-{code}"
    offset = rel_of(rel, ctx.lex) if rel else 0
    if offset is None:
        return None
    y = ctx.anchor.year
    if rel and rel.startswith("this "):
        offset = 0
    elif offset > 0 and _SEASON_START[code] <= ctx.anchor.month:
        y += 1
    elif offset < 0:
        y -= 1
    return "DATE", f"{y:04d}-{code}"


def _year_for_period(m: re.Match[str], ctx: Context, qn: int) -> int | None:
    for name in ("year", "year2", "fyear"):
        if name in m.re.groupindex and m.group(name):
            return int(re.sub(r"\D", "", m.group(name)))
    if "thisyear" in m.re.groupindex and m.group("thisyear") and ctx.anchor is not None:
        return ctx.anchor.year
    det = group(m, "det") or ""
    if ctx.anchor is None:
        return None
    if det.startswith(("last year", "next year", "this year")):
        return ctx.anchor.year + {"l": -1, "n": 1}.get(det[0], 0)
    adj = group(m, "adj") or ""
    if adj in ("year-ago", "year-earlier"):
        return ctx.anchor.year - 1
    if qn > quarter_of(ctx.anchor):  # not begun yet: last year's if told in the past tense
        tense = ctx.tense(m.start(), m.end())
        if tense < 0 or (tense == 0 and qn == 4 and ctx.anchor.month <= 3):
            return ctx.anchor.year - 1
    return ctx.anchor.year


def _quarter(m: re.Match[str], ctx: Context) -> Resolved | None:
    names = m.re.groupindex
    if "qn" in names and (m.group("qn") or m.group("qn2")):
        qn = int(m.group("qn") or m.group("qn2"))
        yy = m.group("yy") if "yy" in names else None
        year = int(yy) + (1900 if int(yy) >= 50 else 2000) if yy else _year_for_period(m, ctx, qn)
    else:
        qn = _ORDINAL.get(group(m, "ord") or "", 0)
        if not qn:
            found = ctx.lex.ordinals.get(group(m, "ord") or "")
            qn = found if isinstance(found, int) and 1 <= found <= 4 else 0
        if not qn:
            return None
        year = _year_for_period(m, ctx, qn)
    if year is None:
        return "DATE", f"XXXX-Q{qn}"
    return "DATE", f"{year:04d}-Q{qn}"


def _qanaph(m: re.Match[str], ctx: Context) -> Resolved | None:
    adj, what, det = group(m, "adj") or "", group(m, "what"), group(m, "det") or ""
    year_ago = adj in ("year-ago", "year-earlier", "year-before") or bool(group(m, "ago"))
    year_ago = year_ago or det == "last year's"
    named_year = group(m, "year")
    if (what == "period" or det == "a") and not adj and not year_ago and not named_year:
        return None
    if what is None and not year_ago:
        return None
    if ctx.anchor is None and not named_year:
        return "DATE", ""
    if ctx.last_quarter:
        year, qn = ctx.last_quarter
    elif ctx.anchor is None or (what is None and not ctx.last_quarter):
        return ("DATE", f"{int(named_year):04d}") if named_year else ("DATE", f"{ctx.anchor.year - 1:04d}")  # type: ignore[union-attr]
    else:
        previous = shift(ctx.anchor, -1 if adj != "current" else 0, "Q")
        year, qn = previous.year, quarter_of(previous)
    if named_year:
        return "DATE", f"{int(named_year):04d}-Q{qn}"
    return "DATE", f"{year - 1 if year_ago else year:04d}-Q{qn}"


def _half(m: re.Match[str], ctx: Context) -> Resolved | None:
    ordinal = ctx.lex.ordinals.get(group(m, "ord") or "")
    half = 1 if ordinal == 1 else 2
    year = _year_for_period(m, ctx, 1)
    rel = group(m, "rel")
    if rel is not None and ctx.anchor is not None:
        offset = rel_of(rel, ctx.lex)
        year = ctx.anchor.year + (offset or 0)
    return "DATE", f"{year:04d}-H{half}" if year else f"XXXX-H{half}"


def _year(m: re.Match[str], ctx: Context) -> Resolved | None:
    raw = m.group("year")
    digits = re.sub(r"\D", "", raw)
    year = (
        int(digits) if len(digits) == 4 else (1900 + int(digits) if int(digits) >= 50 else 2000 + int(digits))
    )
    names = m.re.groupindex
    if "pre" not in names or not m.group("pre"):
        before, after = ctx.before(m.start()), ctx.after(m.end(), 20)
        if _YEAR_BEFORE_NOT.search(before) or (year < 1900 and not _OLD_YEAR_BEFORE.search(before)):
            return None
        after_not = _YEAR_AFTER_NOT.get(ctx.lex.lang, _YEAR_AFTER_NOT["en"])
        if after_not.match(after) and not re.search(r"\b(?:in|since|of|the|by|until)\s*$", before):
            return None
        if year > (ctx.anchor.year + 30 if ctx.anchor else 2100):
            return None
    return "DATE", f"{year:04d}"


def _yearword(m: re.Match[str], ctx: Context) -> Resolved | None:
    year = year_of_words(group(m, "yw") or "")
    return ("DATE", f"{year:04d}") if year else None


def _decade(m: re.Match[str], ctx: Context) -> Resolved | None:
    if dec := group(m, "dec"):
        return "DATE", dec[:3]
    if dec2 := group(m, "dec2"):
        return "DATE", f"19{dec2[0]}"
    word = group(m, "decw")
    return ("DATE", f"19{_DECADE_WORDS[word]}") if word in _DECADE_WORDS else None


def _roman(numeral: str) -> int:
    values = [{"i": 1, "v": 5, "x": 10}.get(ch, 0) for ch in numeral.casefold()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _century(m: re.Match[str], ctx: Context) -> Resolved | None:
    n = int(group(m, "cnum") or 0) or _CENTURY_WORDS.get(group(m, "cword") or "", 0)
    n = n or _roman(group(m, "roman") or "")
    return ("DATE", f"{n - 1:02d}") if 0 < n <= 30 else None


PERIOD_HANDLERS = {
    "relunit": _relunit,
    "season": _season,
    "quarter": _quarter,
    "qanaph": _qanaph,
    "half": _half,
    "year": _year,
    "yearword": _yearword,
    "decade": _decade,
    "century": _century,
}
