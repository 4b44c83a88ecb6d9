"""The story page's pictures beside the map: coverage over a zoomable period, and source and language
diversity; the storyline page's zoomable timeline of its stories. Each comes with the numbers it
draws, which the page also shows as a table."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from markupsafe import Markup

from storyline.model import Article, Story
from storyline.web import charts
from storyline.web.render import path_id, with_query
from storyline.web.zoom import Period, Zoom, zoom_periods

LOGGER = logging.getLogger(__name__)

DIVERSITY_ROWS = 12
"""Sources (or languages) drawn; the rest are summed into one row."""


def period_words(period: Period) -> str:
    """``3 Mar 2024`` (one day), ``3 – 9 Mar 2024``, ``28 Feb – 2 Mar 2024``, ``30 Dec 2023 – 2 Jan 2024``."""
    a, b = period.first, period.last
    if a == b:
        return f"{a.day} {a:%b %Y}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day} – {b.day} {b:%b %Y}"
    if a.year == b.year:
        return f"{a.day} {a:%b} – {b.day} {b:%b %Y}"
    return f"{a.day} {a:%b %Y} – {b.day} {b:%b %Y}"


@dataclass(frozen=True, slots=True)
class PeriodLink:
    """A link to a period of the timeline: its words, where it goes, whether it is the one shown."""

    words: str
    href: str
    current: bool = False


@dataclass(frozen=True, slots=True)
class Coverage:
    """The coverage chart of the period shown and its zoom links (``chart`` None: nothing dated)."""

    chart: charts.Chart | None
    zoom: Zoom | None
    shown: str = ""
    query: dict[str, str] | None = None
    """The ``from``/``to`` parameters to keep in the page's other links (None: the whole story)."""
    zoom_in: str | None = None
    zoom_out: str | None = None
    whole: str | None = None
    brush: tuple[PeriodLink, ...] = ()
    n_shown: int = 0
    n_dated: int = 0
    n_undated: int = 0


def story_coverage(
    articles: Sequence[Article], by: str, base: str, first: date | None, last: date | None
) -> Coverage:
    """Articles per day (or wider bins) by ``by`` over ``first`` .. ``last`` (default: the story's whole
    life), each column a link zooming into its bin when a bin is longer than a day."""
    moments = [(a.published_at, getattr(a, by) or "unknown") for a in articles]
    dated = [(m, name) for m, name in moments if m is not None]
    n_undated = len(moments) - len(dated)
    if not dated:
        return Coverage(None, None, n_undated=n_undated)
    days = [m.date() for m, _ in dated]
    zoom = zoom_periods(Period(min(days), max(days)), first, last)
    shown = zoom.shown
    in_period = [(m, name) for m, name in dated if shown.holds(m.date())]
    bins = charts.make_bins(shown.first, shown.last)
    bins, series = charts.count_per_bin(in_period, bins)

    links = _ZoomLinks(base, {"by": by if by != "source" else None}, zoom)
    words = period_words(shown)
    chart = charts.timeline(
        bins, series, title=f"articles per {bins.unit} by {by}, {words}", hrefs=links.bin_hrefs(bins)
    )
    return Coverage(
        chart=chart,
        zoom=zoom,
        shown=words,
        query=shown.query() if zoom.zoomed else None,
        zoom_in=links.href(zoom.zoom_in),
        zoom_out=links.href(zoom.zoom_out),
        whole=links.whole(),
        brush=links.brush(),
        n_shown=len(in_period),
        n_dated=len(dated),
        n_undated=n_undated,
    )


@dataclass(frozen=True, slots=True)
class _ZoomLinks:
    """Where the zoom controls of a page at ``base`` go, keeping the page's other parameters ``keep``."""

    base: str
    keep: dict[str, str | None]
    zoom: Zoom

    def href(self, period: Period | None) -> str | None:
        return None if period is None else with_query(self.base, {**self.keep, **period.query()})

    def whole(self) -> str | None:
        return with_query(self.base, self.keep) if self.zoom.zoomed else None

    def brush(self) -> tuple[PeriodLink, ...]:
        shown = self.zoom.shown
        brush = tuple(PeriodLink(period_words(p), self.href(p) or "", p == shown) for p in self.zoom.brush)
        return brush if len(brush) > 1 else ()

    def bin_hrefs(self, bins: charts.Bins) -> list[str] | None:
        """One link per bin zooming into it (None when bins are single days: nothing to zoom into)."""
        if bins.step_days <= 1:
            return None
        last = self.zoom.shown.last
        return [
            self.href(Period(a, min(a + timedelta(days=bins.step_days - 1), last))) or ""
            for a in (bins.start(i) for i in range(bins.n))
        ]


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A storyline's story as the timeline's table shows it."""

    label: str
    href: str
    days: str
    n_articles: int


@dataclass(frozen=True, slots=True)
class StorylineTimeline:
    """The storyline's stories over the period shown (``spans`` empty: no story is dated): one bar each,
    cut to the period; ``columns`` counts the stories running in each day (or wider bin) of it, each
    column a link zooming into its bin; ``rows`` are the stories in the period, for the table."""

    spans: Markup
    columns: charts.Chart | None
    zoom: Zoom | None
    shown: str = ""
    zoom_in: str | None = None
    zoom_out: str | None = None
    whole: str | None = None
    brush: tuple[PeriodLink, ...] = ()
    rows: tuple[StoryRow, ...] = ()
    n_dated: int = 0
    n_undated: int = 0


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def storyline_timeline(
    stories: Sequence[Story], base: str, first: date | None, last: date | None
) -> StorylineTimeline:
    """The zoomable timeline of a storyline's ``stories`` over ``first`` .. ``last`` (default: from
    its first story's first day to its last story's last)."""
    dated = [s for s in stories if s.first_seen_at is not None]
    n_undated = len(stories) - len(dated)
    if not dated:
        return StorylineTimeline(Markup(""), None, None, n_undated=n_undated)

    def period(s: Story) -> Period:
        assert s.first_seen_at is not None
        return Period(s.first_seen_at.date(), (s.last_seen_at or s.first_seen_at).date())

    whole = Period(min(period(s).first for s in dated), max(period(s).last for s in dated))
    zoom = zoom_periods(whole, first, last)
    shown = zoom.shown
    inside = [s for s in dated if period(s).first <= shown.last and period(s).last >= shown.first]
    links = _ZoomLinks(base, {}, zoom)
    words = period_words(shown)
    spans = charts.spans(
        [
            charts.Span(
                s.label or s.id, f"/stories/{path_id(s.id)}", s.first_seen_at, s.last_seen_at, s.n_articles
            )
            for s in inside
        ],
        title=f"the storyline's stories, {words}",
        period=(_day_start(shown.first), _day_start(shown.last + timedelta(days=1))),
    )
    bins = charts.make_bins(shown.first, shown.last)
    running = [0] * bins.n
    for s in inside:
        p = period(s)
        for i in range(bins.index(max(p.first, shown.first)), bins.index(min(p.last, shown.last)) + 1):
            running[i] += 1
    columns = charts.timeline(
        bins,
        {"stories": running},
        title=f"stories running per {bins.unit}, {words}",
        hrefs=links.bin_hrefs(bins),
    )
    rows = tuple(
        StoryRow(s.label or s.id, f"/stories/{path_id(s.id)}", period_words(period(s)), s.n_articles)
        for s in inside
    )
    return StorylineTimeline(
        spans=spans,
        columns=columns,
        zoom=zoom,
        shown=words,
        zoom_in=links.href(zoom.zoom_in),
        zoom_out=links.href(zoom.zoom_out),
        whole=links.whole(),
        brush=links.brush(),
        rows=rows,
        n_dated=len(dated),
        n_undated=n_undated,
    )


@dataclass(frozen=True, slots=True)
class Diversity:
    """How many articles each source and each language gave the story, drawn and as rows."""

    sources: Markup
    languages: Markup
    source_rows: tuple[tuple[str, int], ...]
    language_rows: tuple[tuple[str, int], ...]
    n_articles: int

    @property
    def empty(self) -> bool:
        return not self.source_rows and not self.language_rows


def _top(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    kept = ranked[:DIVERSITY_ROWS]
    rest = ranked[DIVERSITY_ROWS:]
    if rest:
        kept.append((f"{len(rest)} others", sum(n for _, n in rest)))
    return tuple(kept)


def diversity(articles: Sequence[Article]) -> Diversity:
    """Articles per source (the agency when an article names one and has no source) and per language."""
    sources = _top(Counter(a.source or a.agency or "unknown source" for a in articles))
    languages = _top(Counter(a.language or "unknown language" for a in articles))
    return Diversity(
        charts.bars(sources, title=f"articles per source ({len(sources)} shown)"),
        charts.bars(languages, title=f"articles per language ({len(languages)} shown)"),
        sources,
        languages,
        len(articles),
    )
