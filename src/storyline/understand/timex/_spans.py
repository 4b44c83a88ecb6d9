"""Normalisers for amounts of time and vague references: durations, sets, ``ago``, ``in``, ``now``.

``two years`` -> ``P2Y``; ``several weeks`` -> ``PXW``; ``every week`` -> SET ``P1W``;
``two weeks ago`` -> the anchor's week two weeks back; ``in three days`` -> the anchor + 3 days;
``recently`` -> ``PAST_REF``. Durations follow TimeBank: hours and smaller take ``T``
(``PT5H30M``), quarters stay quarters (``P2Q``), decades and centuries become years.
"""

from __future__ import annotations

import logging
import re

from storyline.understand.timex._calendar import fmt, shift
from storyline.understand.timex._context import Context, Resolved, count_of, group, month_of, unit_of
from storyline.understand.timex._numbers import parse_number

__all__ = ["SPAN_HANDLERS", "duration_value"]

LOGGER = logging.getLogger(__name__)

_TIME_UNITS = {"H": "H", "MIN": "M", "S": "S"}
_SMALLER = {"Y": (12, "M"), "M": (30, "D"), "W": (7, "D"), "D": (24, "H"), "H": (60, "MIN"), "MIN": (60, "S")}
_FUZZY_CODE = {"DE": "E", "CE": "C", "2W": "W", "WE": "WE", "ML": "L"}
_FRACTIONS = {" and a half": 0.5, " 1/2": 0.5, "½": 0.5, " 1/4": 0.25, " 3/4": 0.75}
_QUANTITY_BEFORE = re.compile(
    r"(?:\d|\b(?:million|billion|thousand|hundred|percent|dollars|cents|euros|pounds|times|once|twice|"
    r"people|barrels|tons|units|copies|visitors|shares|sold|cds))\W*$"
)
_NOT_A_DURATION_AFTER = re.compile(r"^\s*of\b")
_SPAN_BEFORE = re.compile(r"\b(?:for|in|over|within)\s*$")
_AGE_AFTER = re.compile(r"^[\s-]*(?:old|of age)\b")
_CURRENT_NOT = re.compile(
    r"^\s+(?:account|accounts|affairs|events|assets|liabilities|ratio|law|laws|system|rules|"
    r"situation|crisis|government|president|members?|owners?|holders?|management|leadership|level|"
    r"levels|rate|rates|price|prices|conditions|climate|policy|policies|form)\b"
)


def duration_value(amount: float | None, unit: str) -> str:
    """``P2Y``, ``PT5H30M``, ``PXW`` (``None`` = unknown amount), ``P20Y`` for two decades."""
    if unit == "DE" and amount is not None:
        amount, unit = amount * 10, "Y"
    elif unit == "CE" and amount is not None:
        amount, unit = amount * 100, "Y"
    elif unit == "ML" and amount is not None:
        amount, unit = amount * 1000, "Y"
    elif unit == "2W" and amount is not None:
        amount, unit = amount * 2, "W"
    t = "T" if unit in _TIME_UNITS else ""
    if amount is None:
        return f"P{t}X{_TIME_UNITS.get(unit, _FUZZY_CODE.get(unit, unit))}"
    whole = int(amount)
    rest = amount - whole
    value = f"P{t}{whole}{_TIME_UNITS.get(unit, unit)}"
    if rest > 1e-9 and unit in _SMALLER:
        factor, small = _SMALLER[unit]
        small_amount = round(rest * factor)
        if small in _TIME_UNITS and not t:
            value += "T"
        value += f"{small_amount}{_TIME_UNITS.get(small, small)}"
    return value


def _amount(m: re.Match[str], ctx: Context) -> float | None:
    amount = count_of(group(m, "num"), ctx.lex)
    frac = group(m, "frac") if "frac" in m.re.groupindex else None
    orso = group(m, "orso") if "orso" in m.re.groupindex else None
    if amount is not None:
        amount += _FRACTIONS.get(f" {frac}" if frac and not frac.startswith(("½",)) else frac or "", 0.0)
        amount += 0.5 if orso == "and a half" else 0.0
    return amount


def _duration(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = group(m, "unit") or ""
    unit = unit_of(word, ctx.lex) or unit_of(word + "s", ctx.lex)
    num = group(m, "num")
    if unit is None or num is None:
        return None
    if unit in ("Q", "S") and _NOT_A_DURATION_AFTER.match(ctx.after(m.end())):
        return None
    if unit == "Y" and _AGE_AFTER.match(ctx.after(m.end())):
        return None  # "52 years old" is an age, not a time expression
    if unit == "S" and word in ("second",) and num in ("a", "an", "one"):
        return None
    determined = m.group(0).lower().startswith(("the", "each")) or group(m, "rel")
    if unit == "Q" and not determined and num in ("a", "an", "one", "three", "two"):
        return None  # "a quarter", "three quarters" of something
    amount = _amount(m, ctx)
    bare = not (group(m, "det") or group(m, "rel") or group(m, "approx"))
    if (
        num in ("a", "an")
        and bare
        and not word.endswith("s")
        and _QUANTITY_BEFORE.search(ctx.before(m.start()))
    ):
        return "SET", duration_value(1, unit)  # "$2 million a year"
    if unit == "WE":
        return None
    return "DURATION", duration_value(amount, unit)


def _fuzzy(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = group(m, "unit") or ""
    unit = unit_of(word, ctx.lex)
    fz, det, few = group(m, "fz"), group(m, "det"), group(m, "few")
    if unit is None or re.match(r"^\s*(?:-?old|of age)\b", ctx.after(m.end())):
        return None
    if det == "these" and unit == "D" and not fz:
        return "DATE", "PRESENT_REF"
    bare = not (fz or few or group(m, "ahead"))
    if bare and (det or unit in ("D", "Q", "H") or not _SPAN_BEFORE.search(ctx.before(m.start()))):
        return None  # a bare plural ("years") only after "for", "in", "over", "within"
    if fz in ("recent", "past") and unit == "Y" and not few and det is None:
        return "DATE", "PAST_REF"
    return "DURATION", duration_value(None, unit)


def _ago(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = unit_of(group(m, "unit") or "", ctx.lex)
    word = group(m, "ago") or ""
    if unit is None:
        return None
    sign = -1 if word in ctx.lex.ago or word in ("ago", "earlier", "before") else 1
    amount = count_of(group(m, "num"), ctx.lex)
    if amount is None:
        if word in ("earlier", "later"):
            return "DURATION", duration_value(None, unit)
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    if ctx.anchor is None:
        return "DATE", ""
    base = (ctx.last_day or ctx.anchor) if word in ("earlier", "later") else ctx.anchor
    if unit == "Y" and amount == 1 and sign < 0 and ctx.last_quarter:
        year, qn = ctx.last_quarter
        return "DATE", f"{year - 1:04d}-Q{qn}"
    if unit in ("H", "MIN", "S"):
        return "DATE", fmt(base, "D")
    granularity = {"DE": "Y", "CE": "Y", "ML": "Y", "WE": "W", "2W": "W"}.get(unit, unit)
    return "DATE", fmt(shift(base, sign * amount, unit), granularity)


def _in(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = unit_of(group(m, "unit") or "", ctx.lex) or unit_of((group(m, "unit") or "") + "s", ctx.lex)
    amount = count_of(group(m, "num"), ctx.lex)
    if unit is None or amount is None:
        return None
    if ctx.anchor is None:
        return "DATE", ""
    if unit in ("H", "MIN", "S"):
        return "DATE", fmt(ctx.anchor, "D")
    return "DATE", fmt(shift(ctx.anchor, amount, unit), "W" if unit == "2W" else unit)


def _set(m: re.Match[str], ctx: Context) -> Resolved | None:
    names = m.re.groupindex
    if "adv" in names and m.group("adv"):
        value = ctx.lex.sets.get(group(m, "adv") or "")
        return ("SET", value) if isinstance(value, str) else None
    wd = (m.group("wd") or m.group("wd2")) if "wd" in names else None
    if wd:
        weekday = ctx.lex.weekdays.get(wd.casefold())
        pod = group(m, "pod") or group(m, "pod2") or ""
        code = ctx.lex.parts_of_day.get(pod.rstrip("s")) if pod else None
        return (
            ("SET", f"XXXX-WXX-{weekday + 1}" + (f"T{code}" if code else ""))
            if isinstance(weekday, int)
            else None
        )
    word = m.group("unit")
    weekday = ctx.lex.weekdays.get(word.casefold())
    if isinstance(weekday, int):
        return "SET", f"XXXX-WXX-{weekday + 1}"
    month = month_of(word, ctx.lex)
    if month is not None:
        return "SET", f"XXXX-{month:02d}"
    unit = unit_of(word, ctx.lex)
    if unit is None:
        code = ctx.lex.parts_of_day.get(word.casefold())
        return ("SET", f"XXXX-XX-XXT{code}") if isinstance(code, str) else None
    num = group(m, "num")
    amount = 2.0 if num == "other" else 1.0
    if num and num not in ("other", "once", "twice", "thrice") and not num.endswith("times"):
        amount = parse_number(num, ctx.lex.lang) or 1.0
    return "SET", duration_value(amount, unit)


def _ref(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = group(m, "ref") or ""
    value = ctx.lex.refs.get(word)
    if not isinstance(value, str):
        return None
    if word == "current" and _CURRENT_NOT.match(ctx.after(m.end())):
        return None
    if word in ("soon", "shortly") and re.match(r"^\s+(?:as|after|before|thereafter)\b", ctx.after(m.end())):
        return None
    if word == "soon" and ctx.before(m.start()).endswith(("as ", "how ")):
        return None
    return "DATE", value


SPAN_HANDLERS = {
    "duration": _duration,
    "fuzzy": _fuzzy,
    "ago": _ago,
    "in": _in,
    "set": _set,
    "ref": _ref,
}
