"""Plain words for the values the pages show: dates and durations, figures, entity types, quote kinds.

The store keeps machine values (TIMEX3 ``P20Y``, ``FUTURE_REF``, ``XXXX-WXX-1``; a percent as the
fraction ``0.02``; entity types ``PER``/``ORG``; quote kinds ``indirect``); a reader of the web UI sees
words (``20 years``, ``the future``, ``a Monday``, ``2 %``, ``person``, ``reported speech``). A value no
rule here knows gives ``None`` (``timex_words``) or a neutral word, never the code itself: the
templates then show the article's own words only. ``/glossary`` explains the terms.
"""

from __future__ import annotations

import math
import re
from datetime import date

from storyline.model import timex_label, timex_precision

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth"}
_PARTS_OF_DAY = {
    "MO": "morning",
    "MI": "midday",
    "AF": "afternoon",
    "EV": "evening",
    "NI": "night",
    "DT": "daytime",
}
_REFS = {"PRESENT_REF": "now", "PAST_REF": "the past", "FUTURE_REF": "the future"}
_DATE_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day", "DE": "decade", "CE": "century"}
_TIME_UNITS = {"H": "hour", "M": "minute", "S": "second"}

_DURATION = re.compile(
    r"^P(?!$)(?P<date>(?:(?:\d+(?:\.\d+)?|X+)(?:DE|CE|[YMWD]))*)(?:T(?P<time>(?:(?:\d+(?:\.\d+)?|X+)[HMS])+))?$"
)
_PIECE = re.compile(r"(\d+(?:\.\d+)?|X+)(DE|CE|[YMWDHS])")
_YEAR = r"(?P<year>\d{4}|XXXX)"
_QUARTER = re.compile(rf"^{_YEAR}-(?P<kind>[QH])(?P<n>[1-4])$")
_SEASON = re.compile(rf"^{_YEAR}-(?P<season>SP|SU|FA|WI)$")
_WEEKDAY = re.compile(rf"^{_YEAR}-W(?P<week>\d{{2}}|XX)-(?P<day>[1-7])(?:T(?P<time>.+))?$")
_WEEKEND = re.compile(rf"^{_YEAR}-W(?P<week>\d{{2}}|XX)-WE$")
_ANY_DAY = re.compile(r"^XXXX-XX-XX(?:T(?P<time>.+))?$")
_CLOCK = re.compile(r"^(?P<h>\d{2}):(?P<m>\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_DECADE = re.compile(r"^(?P<d>\d{3})X?$")
_CENTURY = re.compile(r"^(?P<c>\d{2})(?:XX)?$")


def timex_words(value: str | None, kind: str | None = None) -> str | None:
    """A TIMEX3 value (of type ``kind``: DATE, TIME, DURATION or SET) in words, else None.

    >>> [timex_words(v) for v in ("2001", "P20Y", "PXD", "FUTURE_REF", "XXXX-WXX-1", "2020-Q1", "199")]
    ['2001', '20 years', 'some days', 'the future', 'a Monday', 'the first quarter of 2020', 'the 1990s']
    >>> timex_words("P1Y", "SET"), timex_words("XXXX-WXX-1", "SET"), timex_words("nonsense")
    ('every year', 'every Monday', None)
    """
    value = (value or "").strip()
    if not value:
        return None
    words = _REFS.get(value) or _point_words(value) or _duration_words(value)
    if words is None:
        return None
    return _set_words(words) if kind == "SET" else words


def _set_words(words: str) -> str:
    """What a SET (``P1Y``: "annually", ``XXXX-WXX-1``: "every Monday") repeats, in words."""
    if words.startswith(("1 ", "a ")):
        return f"every {words[2:]}"
    if words.startswith("some "):
        return "regularly"
    return f"every {words}"


def _point_words(value: str) -> str | None:
    precision = timex_precision(value)
    if precision == "time":  # the day as model.timex_label gives it, the time of day in words
        day, _, time = value.partition("T")
        at = _time_words(time)
        return f"{timex_label(day)} {at}" if at else timex_label(day)
    if precision is not None:
        label = timex_label(value)
        return None if "X" in label else label
    if m := _QUARTER.match(value):
        part = f"the {_ORDINALS[m['n']]} {'quarter' if m['kind'] == 'Q' else 'half'}"
        if m["kind"] == "H" and m["n"] not in "12":
            return None
        return part if m["year"] == "XXXX" else f"{part} of {m['year']}"
    if m := _SEASON.match(value):
        season = _SEASONS[m["season"]]
        return season if m["year"] == "XXXX" else f"{season} {m['year']}"
    if m := _WEEKDAY.match(value):
        return _weekday_words(m)
    if m := _WEEKEND.match(value):
        if m["year"] == "XXXX" or m["week"] == "XX":
            return "a weekend"
        saturday = date.fromisocalendar(int(m["year"]), int(m["week"]), 6)
        return f"the weekend of {saturday.day} {saturday:%b %Y}"
    if m := _ANY_DAY.match(value):
        return _time_words(m["time"]) if m["time"] else "a day"
    if m := _DECADE.match(value):
        return f"the {m['d']}0s"
    if m := _CENTURY.match(value):
        return f"the {m['c']}00s"
    return None


def _weekday_words(m: re.Match[str]) -> str | None:
    name = _WEEKDAYS[int(m["day"]) - 1]
    time = _time_words(m["time"]) if m["time"] else ""
    if m["time"] and time is None:
        return None
    if m["year"] == "XXXX" or m["week"] == "XX":
        return f"a {name}" + (f" {time}" if time else "")
    try:
        day = date.fromisocalendar(int(m["year"]), int(m["week"]), int(m["day"]))
    except ValueError:
        return None
    return f"{day.day} {day:%b %Y}" + (f" {time}" if time else "")


def _time_words(time: str) -> str | None:
    if time in _PARTS_OF_DAY:
        return _PARTS_OF_DAY[time]
    m = _CLOCK.match(time)
    return f"{m['h']}:{m['m']}" if m else None


def _duration_words(value: str) -> str | None:
    m = _DURATION.match(value)
    if m is None:
        return None
    parts = []
    for pieces, units in ((m["date"] or "", _DATE_UNITS), (m["time"] or "", _TIME_UNITS)):
        for amount, unit in _PIECE.findall(pieces):
            name = units.get(unit)
            if name is None:
                return None
            if amount.startswith("X"):
                parts.append("some " + ("centuries" if name == "century" else name + "s"))
            else:
                count = float(amount)
                plural = "centuries" if name == "century" else name + "s"
                parts.append(f"{number_words(count)} {name if count == 1 else plural}")
    return " and ".join(parts) if parts else None


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def number_words(value: float) -> str:
    """A number as a newspaper writes it: ``9,600``, ``2.5 million``, ``0.75``.

    >>> [number_words(v) for v in (9600.0, 2.5e6, 0.75, 1e9, 12.0, -3.25)]
    ['9,600', '2.5 million', '0.75', '1 billion', '12', '-3.25']
    """
    if not math.isfinite(value):
        return "—"
    for scale, name in _SCALES:
        if abs(value) >= scale:
            return f"{_trim(value / scale, 2)} {name}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) >= 0.01 else f"{value:.3g}"


def _trim(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


def figure_words(value: float, unit: str | None) -> str:
    """A figure with its unit in words: ``2 %`` (stored as the fraction 0.02), ``1.5 percentage
    points``, ``$2 million``, ``40 km``.

    >>> [figure_words(0.02, "%"), figure_words(1.0, "pp"), figure_words(2e6, "USD"), figure_words(13, None)]
    ['2 %', '1 percentage point', '$2 million', '13']
    """
    if unit == "%":
        return f"{_trim(value * 100, 2)} %"
    if unit == "pp":
        return f"{number_words(value)} percentage point{'' if value == 1 else 's'}"
    if unit in _CURRENCY_SIGNS:
        return f"{_CURRENCY_SIGNS[unit]}{number_words(value)}"
    if unit:
        return f"{number_words(value)} {unit}"
    return number_words(value)


_ENTITY_TYPES = {
    "PER": "person", "PERSON": "person", "ORG": "organisation", "LOC": "place", "GPE": "place",
    "FAC": "place", "NORP": "group", "EVENT": "event", "PRODUCT": "product", "WORK_OF_ART": "work",
    "LAW": "law", "LANGUAGE": "language", "MISC": "other",
}  # fmt: skip
ENTITY_TYPE_CHOICES = (("PER", "person"), ("ORG", "organisation"), ("LOC", "place"), ("MISC", "other"))
"""The types the entity filter offers: (stored code, the word shown)."""


def entity_type_words(code: str | None) -> str:
    """``PER`` -> ``person``, ``ORG`` -> ``organisation``, ``LOC`` -> ``place``, ``MISC`` -> ``other``."""
    return _ENTITY_TYPES.get((code or "").upper(), "other")


_QUOTE_KINDS = {"direct": "direct quote", "indirect": "reported speech", "mixed": "partly quoted"}


def quote_kind_words(kind: str | None) -> str:
    """``direct`` -> ``direct quote``, ``indirect`` -> ``reported speech``, ``mixed`` -> ``partly quoted``."""
    return _QUOTE_KINDS.get(kind or "", "quote")


_NEW_REASONS = {"meaning": "says something new", "date": "new date", "figure": "new figure"}
_ALERT_REASONS = {
    "entity": "names a watched entity",
    "keyword": "has a keyword",
    "meaning": "close in meaning",
}


def new_reason_words(reasons: list[str] | tuple[str, ...]) -> str:
    """Why the digest counts a sentence as new, in words (``meaning, date`` -> ``says something new,
    new date``)."""
    return ", ".join(_NEW_REASONS.get(r, r.replace("_", " ").lower()) for r in reasons)


def alert_reason_words(reason: str) -> str:
    """Why a watchlist raised an alert, in words."""
    return _ALERT_REASONS.get(reason, reason.replace("_", " ").lower())


_MONTH_DAY = re.compile(r"^(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])$")


def month_day_words(value: str) -> str:
    """A day of the year the compare evidence keeps as ``MM-DD`` in words (``05-01`` -> ``1 May``);
    anything else (a year) as it is."""
    m = _MONTH_DAY.match(value)
    if m is None:
        return value
    return f"{int(m['day'])} {_MONTHS[int(m['month']) - 1]}"


def interval_words(seconds: int | float | None) -> str:
    """A poll interval: ``900`` -> ``15 min``, ``3600`` -> ``1 h``, ``86400`` -> ``1 day``.

    >>> [interval_words(s) for s in (45, 900, 3600, 5400, 86400, 172800)]
    ['45 s', '15 min', '1 h', '90 min', '1 day', '2 days']
    """
    if seconds is None:
        return ""
    s = int(seconds)
    if s >= 86400 and s % 86400 == 0:
        return f"{s // 86400} day{'' if s == 86400 else 's'}"
    if s >= 3600 and s % 3600 == 0:
        return f"{s // 3600} h"
    if s >= 60 and s % 60 == 0:
        return f"{s // 60} min"
    return f"{s} s"
