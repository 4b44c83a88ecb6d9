"""Holidays news dates events by (``Thanksgiving``, ``Weihnachten``, ``Noël``, ``Navidad``).

``HOLIDAYS[lang]`` maps the case-folded name to a rule: ``(month, day)`` for a fixed date,
``("nth", month, weekday, n)`` for the n-th weekday of a month (n = -1: the last), or ``"easter"``
(with a day offset) for the movable feasts. ``holiday_date(rule, year)`` gives the date.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, timedelta

__all__ = ["HOLIDAYS", "holiday_date"]

LOGGER = logging.getLogger(__name__)

Rule = tuple[object, ...]


def _forms(spec: dict[str, Rule]) -> dict[str, Rule]:
    return {form: rule for key, rule in spec.items() for form in key.split("|")}


HOLIDAYS: dict[str, dict[str, Rule]] = {
    "en": _forms({
        "christmas|christmas day": (12, 25), "christmas eve": (12, 24), "new year's day|new year's": (1, 1),
        "new year's eve": (12, 31), "independence day|fourth of july": (7, 4), "halloween": (10, 31),
        "valentine's day": (2, 14), "thanksgiving|thanksgiving day": ("nth", 11, 3, 4),
        "labor day": ("nth", 9, 0, 1), "memorial day": ("nth", 5, 0, -1),
        "election day": ("election",), "easter|easter sunday": ("easter", 0), "good friday": ("easter", -2),
        "easter monday": ("easter", 1),
    }),
    "de": _forms({
        "weihnachten|erster weihnachtstag": (12, 25), "heiligabend|heiligen abend": (12, 24),
        "silvester": (12, 31), "neujahr|neujahrstag": (1, 1), "erster mai|tag der arbeit": (5, 1),
        "tag der deutschen einheit": (10, 3),
        "ostern|ostersonntag": ("easter", 0), "karfreitag": ("easter", -2), "ostermontag": ("easter", 1),
    }),
    "fr": _forms({
        "noël": (12, 25), "réveillon de noël": (12, 24), "saint-sylvestre": (12, 31),
        "jour de l'an|nouvel an": (1, 1), "fête nationale": (7, 14), "pâques": ("easter", 0),
        "vendredi saint": ("easter", -2), "lundi de pâques": ("easter", 1),
    }),
    "es": _forms({
        "navidad": (12, 25), "nochebuena": (12, 24), "nochevieja": (12, 31), "año nuevo": (1, 1),
        "domingo de resurrección|pascua": ("easter", 0), "viernes santo": ("easter", -2),
    }),
    "it": _forms({
        "natale": (12, 25), "vigilia di natale": (12, 24), "capodanno": (1, 1), "san silvestro": (12, 31),
        "ferragosto": (8, 15), "festa della liberazione": (4, 25), "festa della repubblica": (6, 2),
        "pasqua": ("easter", 0), "pasquetta|lunedì dell'angelo": ("easter", 1),
    }),
    "nl": _forms({
        "kerstmis|kerst|eerste kerstdag": (12, 25), "kerstavond": (12, 24),
        "oudejaarsavond|oudjaar": (12, 31),
        "nieuwjaarsdag|nieuwjaar": (1, 1), "koningsdag": (4, 27), "pasen|paaszondag": ("easter", 0),
        "goede vrijdag": ("easter", -2), "paasmaandag|tweede paasdag": ("easter", 1),
    }),
    "pt": _forms({
        "natal|dia de natal": (12, 25), "véspera de natal": (12, 24), "ano novo|ano-novo": (1, 1),
        "réveillon": (12, 31), "páscoa": ("easter", 0), "sexta-feira santa": ("easter", -2),
    }),
}  # fmt: skip


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    n = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * n) // 451
    month, day = divmod(h + n - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    days = [
        d
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    return date(year, month, days[n - 1] if n > 0 else days[n])


def holiday_date(rule: Rule, year: int) -> date:
    """The holiday's date in ``year``."""
    if rule[0] == "easter":
        return _easter(year) + timedelta(days=int(str(rule[1])))
    if rule[0] == "nth":
        return _nth_weekday(year, int(str(rule[1])), int(str(rule[2])), int(str(rule[3])))
    if rule[0] == "election":  # the Tuesday after the first Monday of November
        return _nth_weekday(year, 11, 0, 1) + timedelta(days=1)
    return date(year, int(str(rule[0])), int(str(rule[1])))
