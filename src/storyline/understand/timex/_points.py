"""Normalisers for points in time: dates, weekdays, months, relative days, clock times.

Each takes the rule's match and the ``Context`` and returns ``(type, value)``, or ``None`` to
reject the candidate. Without an anchor, relative expressions get the underspecified TIMEX3 form
(``XXXX-05-01``, ``XXXX-WXX-3``) or an empty value.
"""

from __future__ import annotations

import calendar
import logging
import re
from datetime import date, timedelta

from storyline.understand.timex._calendar import fmt, month_near, nearest_date, resolve_weekday
from storyline.understand.timex._context import (
    Context,
    Resolved,
    group,
    month_of,
    rel_of,
    rel_word,
    year_of_words,
)
from storyline.understand.timex._holidays import HOLIDAYS, holiday_date

__all__ = ["POINT_HANDLERS"]

LOGGER = logging.getLogger(__name__)

_POD = {"MO": "TMO", "AF": "TAF", "EV": "TEV", "NI": "TNI", "MI": "TMI"}
_BARE_MONTH_OK = re.compile(
    r"(?:\b(?:in|of|since|until|till|by|from|through|during|before|after|early|late|mid|last|next|this|"
    r"and|or|between|to|for|end|beginning|start|middle|around|on)|[,-])\s*$"
)
_AMBIGUOUS_MONTHS = frozenset({"may", "march", "august"})
_NEVER = re.compile(r"(?!)")
_NOT_A_DAY_BEFORE = {  # "morgen"/"mañana" are also "morning": "am Morgen", "por la mañana"
    "morgen": re.compile(r"\b(?:am|den|jeden|guten|heute|gestern|diesen|einem|vom)\s+$"),
    "mañana": re.compile(r"\b(?:la|esta|cada|una|por\s+la|de\s+la|toda\s+la)\s+$"),
}


def _english_capital(word: str | None, ctx: Context) -> bool:
    return word is None or ctx.lex.lang != "en" or word[:1].isupper()


def _day_of(raw: str) -> int:
    return int(re.sub(r"\D", "", raw)[:2] or 0)


def _year_of(raw: str | None) -> int | None:
    if not raw:
        return None
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 2:
        return 1900 + int(digits) if int(digits) >= 50 else 2000 + int(digits)
    return int(digits) if digits else None


def _pod(m: re.Match[str], ctx: Context) -> str:
    word = group(m, "pod") or group(m, "pod2")
    code = ctx.lex.parts_of_day.get(word) if word else None
    return _POD.get(str(code), "") if code else ""


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _date(m: re.Match[str], ctx: Context) -> Resolved | None:
    month_word = m.group("month")
    month = month_of(month_word, ctx.lex)
    day = _day_of(m.group("day"))
    if month is None or not _english_capital(month_word, ctx):
        return None
    year = _year_of(group(m, "year"))
    if year is not None:
        return ("DATE", f"{year:04d}-{month:02d}-{day:02d}") if _valid(year, month, day) else None
    if not _valid(2000, month, day):
        return None
    if ctx.anchor is None:
        return "DATE", f"XXXX-{month:02d}-{day:02d}"
    offset = rel_of(rel_word(m), ctx.lex)
    direction = 2 * offset if offset else ctx.tense(m.start(), m.end())
    found = month_near(ctx.anchor, month, day, direction)
    return ("DATE", fmt(found, "D")) if found else None


def _numdate(m: re.Match[str], ctx: Context) -> Resolved | None:
    names = m.re.groupindex
    if "mon" in names:
        year, month, day = int(m.group("year")), int(m.group("mon")), int(m.group("day"))
        clock = f"T{m.group('hh')}:{m.group('mm')}" if m.group("hh") else ""
        if not _valid(year, month, day):
            return None
        return ("TIME" if clock else "DATE"), f"{year:04d}-{month:02d}-{day:02d}{clock}"
    a, b = int(m.group("a")), int(m.group("b"))
    found_year = _year_of(m.group("y"))
    if found_year is None:
        return None
    month_first = ctx.lex.lang == "en" and "/" in m.group(0)
    month, day = (a, b) if month_first else (b, a)
    if month > 12 >= day:
        month, day = day, month
    valid = _valid(found_year, month, day)
    return ("DATE", f"{found_year:04d}-{month:02d}-{day:02d}") if valid else None


def _month(m: re.Match[str], ctx: Context) -> Resolved | None:
    month_word = m.group("month")
    month = month_of(month_word, ctx.lex)
    if month is None or not _english_capital(month_word, ctx):
        return None
    year = _year_of(group(m, "year")) or year_of_words(group(m, "yw") or "")
    if year is not None:
        return "DATE", f"{year:04d}-{month:02d}"
    rel, relyear, mod = rel_word(m), group(m, "relyear"), group(m, "mod")
    if (
        ctx.lex.lang == "en"
        and month_word.casefold() in _AMBIGUOUS_MONTHS
        and not (rel or relyear or mod)
        and not _BARE_MONTH_OK.search(ctx.before(m.start()))
    ):
        return None
    if ctx.anchor is None:
        return "DATE", f"XXXX-{month:02d}"
    if relyear is not None:
        offset = rel_of(relyear, ctx.lex)
        if offset is None:
            return None
        return "DATE", f"{ctx.anchor.year + offset:04d}-{month:02d}"
    offset = rel_of(rel, ctx.lex)
    direction = 2 * offset if offset else ctx.tense(m.start(), m.end())
    if rel and rel.startswith("this "):
        direction = -1 if "past" in rel else 1
    found = month_near(ctx.anchor, month, None, direction)
    return ("DATE", fmt(found, "M")) if found else None


def _weekday(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = m.group("wd")
    weekday = ctx.lex.weekdays.get(word.casefold())
    if not isinstance(weekday, int) or not _english_capital(word, ctx):
        return None
    pod = _pod(m, ctx)
    kind = "TIME" if pod else "DATE"
    if ctx.anchor is None:
        return kind, f"XXXX-WXX-{weekday + 1}{pod}"
    rel = rel_word(m)
    offset = rel_of(rel, ctx.lex)
    if rel and rel.startswith("this "):
        direction = -1 if "past" in rel else 1
    elif offset:
        direction = 2 * offset
    elif rel is None or offset is None:
        direction = ctx.direction(m.start(), m.end())
    else:
        direction = 0
    return kind, fmt(resolve_weekday(ctx.anchor, weekday, direction), "D") + pod


def _relday(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = group(m, "dayw") or group(m, "dayw2") or ""
    offset = ctx.lex.days.get(word)
    if not isinstance(offset, int) or _NOT_A_DAY_BEFORE.get(word, _NEVER).search(ctx.before(m.start(), 12)):
        return None
    if (
        ctx.lex.lang == "de"
        and word == "morgen"
        and m.group("dayw")[0].isupper()
        and ctx.before(m.start(), 3).strip()
    ):
        return None  # "Morgen" mid-sentence is the morning, not tomorrow
    offset += {"before": -1, "after": 1}.get(group(m, "dir") or "", 0)
    pod = _pod(m, ctx) or ("TNI" if word == "tonight" else "")
    kind = "TIME" if pod else "DATE"
    if ctx.anchor is None:
        return kind, ""
    return kind, fmt(ctx.anchor + timedelta(days=offset), "D") + pod


def _podrel(m: re.Match[str], ctx: Context) -> Resolved | None:
    pod = _pod(m, ctx)
    if not pod:
        return None
    if ctx.anchor is None:
        return "TIME", ""
    back = 1 if rel_of(group(m, "rel"), ctx.lex) == -1 else 0
    return "TIME", fmt(ctx.anchor - timedelta(days=back), "D") + pod


def _clock_day(m: re.Match[str], ctx: Context) -> date | None:
    names = m.re.groupindex
    if "wd" in names and m.group("wd"):
        weekday = ctx.lex.weekdays.get(m.group("wd").casefold())
        if ctx.anchor is None or not isinstance(weekday, int):
            return None
        return resolve_weekday(ctx.anchor, weekday, ctx.direction(m.start(), m.end()))
    if "dayw" in names and m.group("dayw"):
        offset = ctx.lex.days.get(m.group("dayw").casefold())
        return ctx.anchor + timedelta(days=offset) if ctx.anchor and isinstance(offset, int) else None
    if "month" in names and m.group("month"):
        month = month_of(m.group("month"), ctx.lex)
        if ctx.anchor is None or month is None:
            return None
        return month_near(ctx.anchor, month, _day_of(m.group("day")), ctx.tense(m.start(), m.end()))
    return ctx.last_day or ctx.anchor


def _clock(m: re.Match[str], ctx: Context) -> Resolved | None:
    names = m.re.groupindex
    special = group(m, "special") if "special" in names else None
    minute = 0
    if special:
        hour = 24 if special == "midnight" else 12
    elif "hour24" in names and m.group("hour24"):
        hour, minute = int(m.group("hour24")), int(m.group("minute24"))
    else:
        hour = int(m.group("hour"))
        minute = int(m.group("minute") or 0) if "minute" in names else 0
        ampm = (group(m, "ampm") or "") if "ampm" in names else ""
        pod = group(m, "pod") if "pod" in names else None
        if ampm or pod:  # a 12-hour clock
            if hour > 12 or (hour == 0 and ampm):
                return None
            hour = hour % 12 + (12 if ampm.startswith("p") or pod in ("afternoon", "evening") else 0)
    day = _clock_day(m, ctx)
    prefix = fmt(day, "D") if day else "XXXX-XX-XX"
    return "TIME", f"{prefix}T{hour:02d}:{minute:02d}"


def _holiday(m: re.Match[str], ctx: Context) -> Resolved | None:
    rule = HOLIDAYS.get(ctx.lex.lang, {}).get(group(m, "holiday") or "")
    if rule is None:
        return None
    year = _year_of(group(m, "year"))
    if year is not None:
        return "DATE", holiday_date(rule, year).isoformat()
    if ctx.anchor is None:
        fixed = isinstance(rule[0], int)
        return "DATE", f"XXXX-{holiday_date(rule, 2000).isoformat()[5:]}" if fixed else ""
    offset = rel_of(rel_word(m), ctx.lex)
    direction = 2 * offset if offset else ctx.tense(m.start(), m.end())
    years = (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1)
    return "DATE", nearest_date(ctx.anchor, [holiday_date(rule, y) for y in years], direction).isoformat()


def _anaday(m: re.Match[str], ctx: Context) -> Resolved | None:
    """``that day``, ``the next morning``: a day relative to the last day the text named."""
    base = ctx.last_day
    step = {"the next": 1, "the following": 1, "the previous": -1}.get(group(m, "rel") or "", 0)
    if base is None:
        if ctx.anchor is None or not step:
            return None
        base = ctx.anchor
    pod = _pod(m, ctx)
    return ("TIME" if pod else "DATE"), fmt(base + timedelta(days=step), "D") + pod


POINT_HANDLERS = {
    "anaday": _anaday,
    "holiday": _holiday,
    "date": _date,
    "numdate": _numdate,
    "month": _month,
    "weekday": _weekday,
    "relday": _relday,
    "podrel": _podrel,
    "clock": _clock,
}
