"""Zooming a timeline without JavaScript: the period shown is ``from=``/``to=`` in the URL.

``zoom_periods`` gives the links around a shown period of a story's life: zoom in (the middle half),
zoom out (twice as long, within the story), the whole story, and a row of equal periods covering it
(a brush made of links). Every period is whole days, both ends included.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

LOGGER = logging.getLogger(__name__)

BRUSH_PERIODS = 6
"""Equal periods the whole span is cut into for the row of period links."""


@dataclass(frozen=True, slots=True)
class Period:
    """Days ``first`` .. ``last``, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last

    def query(self) -> dict[str, str]:
        """The URL parameters that show this period."""
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


@dataclass(frozen=True, slots=True)
class Zoom:
    """The whole span, the period shown, and where the zoom links go (None: no such link)."""

    whole: Period
    shown: Period
    zoom_in: Period | None
    zoom_out: Period | None
    brush: tuple[Period, ...]

    @property
    def zoomed(self) -> bool:
        return self.shown != self.whole


def _clamp(first: date, last: date, whole: Period) -> Period:
    """``first`` .. ``last`` moved (then cut) to lie within ``whole``."""
    if first < whole.first:
        last, first = last + (whole.first - first), whole.first
    if last > whole.last:
        first, last = first - (last - whole.last), whole.last
    return Period(max(first, whole.first), min(last, whole.last))


def zoom_periods(whole: Period, start: date | None = None, end: date | None = None) -> Zoom:
    """The zoom links of ``whole`` when ``start`` .. ``end`` is shown (each end defaults to the whole's;
    a reversed period is turned round; a period outside the whole is cut to it)."""
    first, last = start or whole.first, end or whole.last
    if last < first:
        first, last = last, first
    shown = Period(max(first, whole.first), min(last, whole.last))
    if shown.last < shown.first:  # nothing of the story in the period asked: show it all
        shown = whole
    zoom_in = None
    if shown.days >= 2:
        quarter = timedelta(days=shown.days // 4)
        inner = Period(shown.first + quarter, shown.last - quarter)
        if inner.days == shown.days:
            inner = Period(shown.first, shown.first + timedelta(days=shown.days // 2 - 1))
        zoom_in = inner
    zoom_out = None
    if shown != whole:
        half = timedelta(days=shown.days // 2)
        try:
            zoom_out = _clamp(shown.first - half, shown.last + half, whole)
        except OverflowError:  # a story dated at the ends of the calendar
            zoom_out = whole
    n = min(BRUSH_PERIODS, whole.days)
    brush = []
    for k in range(n):
        a = whole.first + timedelta(days=whole.days * k // n)
        b = whole.first + timedelta(days=whole.days * (k + 1) // n - 1)
        brush.append(Period(a, b))
    return Zoom(whole, shown, zoom_in, zoom_out, tuple(brush))
