"""The event timeline of a digest as server-side SVG: one row per dated event, on a shared time axis.

Happened events are filled dots (class ``happened``), upcoming ones hollow rings (``upcoming``); each
row is labelled with its date at the precision the articles give it (``2001``, ``May 2021``, ``week 7
of 2021``; placed at its first day) and a short text from its first source sentence, escaped by
``Markup.format`` like every chart label (article text is untrusted). Colours come from CSS classes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

LOGGER = logging.getLogger(__name__)

MAX_EVENTS = 40
"""Rows drawn at most (the earliest events; the list under the chart has them all)."""
LABEL_CHARS = 52


@dataclass(frozen=True, slots=True)
class EventMark:
    """One dated event: the day it is placed at, whether it is still upcoming, its label, where it
    links, and its date as shown (``when``: ``2001`` for a year placed at 2001-01-01; empty: ``day``)."""

    day: date
    upcoming: bool
    label: str
    href: str
    when: str = ""

    @property
    def shown(self) -> str:
        return self.when or self.day.isoformat()


def _fmt(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def event_chart(events: Sequence[EventMark], *, title: str, width: int = 760) -> Markup:
    """The events on a time axis, earliest first; empty markup when there are none."""
    rows = sorted(events, key=lambda e: e.day)[:MAX_EVENTS]
    if not rows:
        return Markup("")
    first, last = rows[0].day, rows[-1].day
    span = max((last - first).days, 1)
    left, right, row_h, upper = 12, 12, 22, 8
    plot_w = (width - left - right) * 0.42  # the labels sit in a column right of the plot
    label_x = left + plot_w + 18
    height = upper + row_h * len(rows) + 24
    out = [
        Markup(
            '<svg class="events" viewBox="0 0 {w} {h}" role="img" aria-label="{t}"><title>{t}</title>'
            '<line class="grid" x1="{l}" y1="{b}" x2="{r}" y2="{b}"/>'
        ).format(w=width, h=height, t=title, l=left, r=_fmt(left + plot_w), b=height - 20)
    ]
    for k, event in enumerate(rows):
        x = left + plot_w * (event.day - first).days / span
        y = upper + k * row_h + row_h / 2
        css = "upcoming" if event.upcoming else "happened"
        status = "upcoming" if event.upcoming else "happened"
        out.append(
            Markup(
                '<a href="{href}"><line class="guide" x1="{x}" y1="{y}" x2="{x}" y2="{b}"/>'
                '<line class="guide" x1="{x}" y1="{y}" x2="{lx}" y2="{y}"/>'
                '<circle class="{c}" cx="{x}" cy="{y}" r="6"><title>{d} · {s}: {full}</title></circle>'
                '<text class="event-label" x="{tx}" y="{ty}">{d} · {label}</text></a>'
            ).format(
                href=event.href,
                x=_fmt(x),
                y=_fmt(y),
                b=height - 20,
                c=css,
                d=event.shown,
                s=status,
                full=event.label,
                lx=_fmt(label_x - 4),
                tx=_fmt(label_x),
                ty=_fmt(y + 4),
                label=_short(event.label),
            )
        )
    for x, end, anchor in ((left, rows[0], "start"), (left + plot_w, rows[-1], "end")):
        out.append(
            Markup('<text class="axis" x="{x}" y="{y}" text-anchor="{a}">{d}</text>').format(
                x=_fmt(x), y=height - 6, a=anchor, d=end.shown
            )
        )
    out.append(Markup("</svg>"))
    return Markup("").join(out)
