"""Server-side SVG charts: column sparklines, stacked timelines and a storyline time axis.

Every chart is plain SVG markup built here, so pages need no JavaScript and no remote asset. Text
that may come from articles (sources, labels) enters only through ``Markup.format``, which escapes
it; numbers are formatted by this module. Colours come from CSS classes (``c0`` .. ``c7``, ``cx``)
because the Content-Security-Policy forbids inline ``style`` attributes.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from markupsafe import Markup

LOGGER = logging.getLogger(__name__)

MAX_BINS = 92
"""Most columns in one chart; longer spans are binned by week, then by multiples of a week."""
MAX_SERIES = 6
"""Series drawn in their own colour; the rest are summed into "other"."""


@dataclass(frozen=True, slots=True)
class Bins:
    """Consecutive time bins of ``step_days`` days each, starting at ``first``."""

    first: date
    n: int
    step_days: int

    def index(self, day: date) -> int:
        """The bin holding ``day`` (clamped to the ends)."""
        return min(max((day - self.first).days // self.step_days, 0), self.n - 1)

    def start(self, i: int) -> date:
        return self.first + timedelta(days=i * self.step_days)

    @property
    def unit(self) -> str:
        """``day``, ``week`` or ``N days``: what one column counts."""
        return {1: "day", 7: "week"}.get(self.step_days, f"{self.step_days} days")


@dataclass(frozen=True, slots=True)
class LegendItem:
    """One series of a chart: its CSS colour class, its name and its total."""

    css: str
    name: str
    total: int


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG chart and the legend to show beside it (empty for one series)."""

    svg: Markup
    legend: tuple[LegendItem, ...] = ()
    unit: str = "day"


def make_bins(first: date, last: date, max_bins: int = MAX_BINS) -> Bins:
    """Bins covering ``first`` .. ``last`` (inclusive): daily when they fit, else weekly or wider."""
    if last < first:
        first, last = last, first
    span = (last - first).days + 1
    step = 1 if span <= max_bins else 7 * math.ceil(span / (7 * max_bins))
    return Bins(first, math.ceil(span / step), step)


def count_per_bin(
    moments: Iterable[tuple[datetime | None, str]], bins: Bins | None = None
) -> tuple[Bins, dict[str, list[int]]]:
    """Counts of ``(moment, series)`` pairs per bin and series; undated pairs are left out."""
    dated = [(m.date(), name) for m, name in moments if m is not None]
    if bins is None:
        days = [d for d, _ in dated] or [date(1970, 1, 1)]
        bins = make_bins(min(days), max(days))
    series: dict[str, list[int]] = {}
    for day, name in dated:
        series.setdefault(name, [0] * bins.n)[bins.index(day)] += 1
    return bins, series


def _fmt(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


def sparkline(counts: Sequence[int], *, label: str, width: int = 120, height: int = 28) -> Markup:
    """Tiny columns, one per bin, scaled to the largest; ``label`` becomes the accessible name."""
    n = max(len(counts), 1)
    top = max(counts, default=0) or 1
    slot = width / n
    bar = max(slot * 0.8, 1.0)
    parts = [
        Markup(
            '<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{a}">'
            "<title>{a}</title>"
            '<line class="base" x1="0" y1="{b}" x2="{w}" y2="{b}"/>'
        ).format(w=width, h=height, a=label, b=_fmt(height - 0.5))
    ]
    for i, value in enumerate(counts):
        if value <= 0:
            continue
        h = max((height - 2) * value / top, 2.0)
        parts.append(
            Markup('<rect x="{x}" y="{y}" width="{bw}" height="{bh}"/>').format(
                x=_fmt(i * slot + (slot - bar) / 2), y=_fmt(height - 1 - h), bw=_fmt(bar), bh=_fmt(h)
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _top_series(series: dict[str, list[int]], n_bins: int) -> list[tuple[str, str, list[int]]]:
    """``(css class, name, counts)``: the ``MAX_SERIES`` largest, then one "other" for the rest."""
    totals = Counter({name: sum(values) for name, values in series.items()})
    ranked = sorted(totals, key=lambda name: (-totals[name], name))
    kept = [(f"c{i}", name, series[name]) for i, name in enumerate(ranked[:MAX_SERIES])]
    rest = ranked[MAX_SERIES:]
    if rest:
        other = [sum(series[name][i] for name in rest) for i in range(n_bins)]
        kept.append(("cx", f"{len(rest)} others", other))
    return kept


def timeline(
    bins: Bins,
    series: dict[str, list[int]],
    *,
    title: str,
    width: int = 760,
    height: int = 200,
    hrefs: Sequence[str] | None = None,
) -> Chart:
    """Stacked columns of counts per bin, one colour per series, with a count axis and date labels;
    with ``hrefs`` (one per bin), each column is a link (the story page: zoom into that bin)."""
    drawn = _top_series(series, bins.n)
    stacks = [sum(values[i] for _, _, values in drawn) for i in range(bins.n)]
    top = max(stacks, default=0) or 1
    left, right, upper, lower = 34, 8, 10, 24
    plot_w, plot_h = width - left - right, height - upper - lower
    slot = plot_w / bins.n
    bar = max(min(slot * 0.82, 48.0), 1.0)
    out = [
        Markup(
            '<svg class="timeline" viewBox="0 0 {w} {h}" role="img" aria-label="{t}"'
            ' preserveAspectRatio="xMinYMin meet"><title>{t}</title>'
        ).format(w=width, h=height, t=title)
    ]
    for tick in sorted({0, top // 2, top} if top > 1 else {0, top}):
        y = upper + plot_h * (1 - tick / top)
        out.append(
            Markup(
                '<line class="grid" x1="{l}" y1="{y}" x2="{r}" y2="{y}"/>'
                '<text class="axis" x="{tx}" y="{ty}" text-anchor="end">{v}</text>'
            ).format(l=left, r=width - right, y=_fmt(y), tx=left - 6, ty=_fmt(y + 4), v=tick)
        )
    for i in range(bins.n):
        y = upper + plot_h
        x = left + i * slot + (slot - bar) / 2
        linked = hrefs is not None and i < len(hrefs) and stacks[i] > 0
        if linked:
            assert hrefs is not None
            out.append(Markup('<a class="zoom" href="{h}">').format(h=hrefs[i]))
        for css, name, values in drawn:
            if values[i] <= 0:
                continue
            h = plot_h * values[i] / top
            y -= h
            tip = f"{bins.start(i).isoformat()} · {name}: {values[i]}"
            rect = Markup(
                '<rect class="{c}" x="{x}" y="{y}" width="{bw}" height="{bh}"><title>{t}</title></rect>'
            )
            out.append(rect.format(c=css, x=_fmt(x), y=_fmt(y), bw=_fmt(bar), bh=_fmt(h), t=tip))
        if linked:
            out.append(Markup("</a>"))
    out.extend(_date_labels(bins, left, slot, height - 6))
    out.append(Markup("</svg>"))
    legend = (
        tuple(LegendItem(css, name, sum(values)) for css, name, values in drawn) if len(drawn) > 1 else ()
    )
    return Chart(Markup("").join(out), legend, bins.unit)


def _date_labels(bins: Bins, left: float, slot: float, y: float) -> list[Markup]:
    """The first, middle and last bin's dates under the columns."""
    picks = sorted({0, bins.n // 2, bins.n - 1}) if bins.n > 2 else list(range(bins.n))
    labels = []
    for i in picks:
        anchor = "start" if i == 0 and bins.n > 1 else ("end" if i == bins.n - 1 and bins.n > 1 else "middle")
        x = left + i * slot + (slot / 2 if anchor == "middle" else (0 if anchor == "start" else slot))
        labels.append(
            Markup('<text class="axis" x="{x}" y="{y}" text-anchor="{a}">{d}</text>').format(
                x=_fmt(x), y=_fmt(y), a=anchor, d=bins.start(i).isoformat()
            )
        )
    return labels


def bars(rows: Sequence[tuple[str, int]], *, title: str, width: int = 360) -> Markup:
    """Horizontal bars, one per ``(label, count)`` row in the order given, each labelled with its name
    and count (the source and language diversity of a story); empty markup without rows."""
    if not rows:
        return Markup("")
    top = max(n for _, n in rows) or 1
    label_w, count_w, row_h = 130, 40, 20
    plot_w = width - label_w - count_w
    out = [
        Markup(
            '<svg class="bars" viewBox="0 0 {w} {h}" role="img" aria-label="{t}"><title>{t}</title>'
        ).format(w=width, h=row_h * len(rows) + 4, t=title)
    ]
    for k, (label, n) in enumerate(rows):
        y = 2 + k * row_h
        short = label if len(label) <= 20 else label[:19] + "…"
        out.append(
            Markup(
                '<g class="bar-row"><title>{label}: {n}</title>'
                '<text class="axis" x="{lx}" y="{ty}" text-anchor="end">{short}</text>'
                '<rect class="{c}" x="{x}" y="{y}" width="{bw}" height="14" rx="2"/>'
                '<text class="axis" x="{cx}" y="{ty}">{n}</text></g>'
            ).format(
                label=label,
                n=n,
                short=short,
                lx=label_w - 6,
                ty=_fmt(y + 11),
                c=f"c{k % MAX_SERIES}",
                x=label_w,
                y=_fmt(y),
                bw=_fmt(max(plot_w * n / top, 2.0)),
                cx=_fmt(label_w + plot_w * n / top + 5),
            )
        )
    out.append(Markup("</svg>"))
    return Markup("").join(out)


@dataclass(frozen=True, slots=True)
class Span:
    """One row of a time-axis chart: a labelled period, linked to ``href``."""

    label: str
    href: str
    first: datetime | None
    last: datetime | None
    n: int
    current: bool = False


def spans(
    rows: Sequence[Span], *, title: str, width: int = 760, period: tuple[datetime, datetime] | None = None
) -> Markup:
    """One bar per row from its first to its last moment on a shared time axis (a storyline's stories);
    with ``period`` (start, end), the axis is that period and bars are cut to it."""
    dated = [r for r in rows if r.first is not None]
    if not dated:
        return Markup("")
    if period is None:
        start = min(r.first for r in dated if r.first is not None)
        end = max((r.last or r.first) for r in dated if r.first is not None)
    else:
        start, end = period
    total = max((end - start).total_seconds(), 86_400.0)
    left, right, row_h, upper = 8, 8, 26, 6
    height = upper + row_h * len(dated) + 22
    plot_w = width - left - right
    out = [
        Markup(
            '<svg class="spans" viewBox="0 0 {w} {h}" role="img" aria-label="{t}"><title>{t}</title>'
        ).format(w=width, h=height, t=title)
    ]
    for k, row in enumerate(dated):
        assert row.first is not None
        x0 = left + plot_w * max((row.first - start).total_seconds(), 0.0) / total
        x1 = left + plot_w * min(((row.last or row.first) - start).total_seconds(), total) / total
        x1 = max(x1, x0)
        y = upper + k * row_h
        out.append(
            Markup(
                '<a href="{href}"><rect class="{c}" x="{x}" y="{y}" width="{bw}" height="14" rx="3">'
                "<title>{t}</title></rect></a>"
            ).format(
                href=row.href,
                c="c0 current" if row.current else "c1",
                x=_fmt(x0),
                y=_fmt(y),
                bw=_fmt(max(x1 - x0, 6.0)),
                t=f"{row.label} · {row.n} articles",
            )
        )
    axis_end = end if period is None else end - timedelta(days=1)  # a period's end is the next midnight
    for x, moment, anchor in ((left, start, "start"), (width - right, axis_end, "end")):
        out.append(
            Markup('<text class="axis" x="{x}" y="{y}" text-anchor="{a}">{d}</text>').format(
                x=x, y=height - 6, a=anchor, d=moment.date().isoformat()
            )
        )
    out.append(Markup("</svg>"))
    return Markup("").join(out)
