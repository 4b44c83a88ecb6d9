"""Where a story happens: its articles' datelines and place entities, resolved by the gazetteer.

Only two kinds of name are looked up: an article's dateline place (``Article.place``) and the text of
a mention typed as a place (``LOC``, ``GPE``; with its canonical entity's name and aliases as
fallbacks, so a name in another script still finds its place). Nothing else is ever put on the map.
Near-copies are left out (their facts are their original's). At most ``MAX_MAP_ARTICLES`` originals
are read; the result is cached per story, its size and last-seen time.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from storyline.model import Article, Entity, Story
from storyline.store import StoryReader
from storyline.web.charts_map import CityMark, CountryMark, place_map, world
from storyline.web.gazetteer import PlaceName, Resolved, gazetteer, resolve_places

LOGGER = logging.getLogger(__name__)

PLACE_TYPES = frozenset({"LOC", "GPE"})
MAX_MAP_ARTICLES = 300
"""Originals whose places a story map reads (the earliest)."""
TABLE_ROWS = 40


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """One line of the map's table: a place as the gazetteer knows it, its country, mentions."""

    place: str
    country: str
    kind: str
    n: int


@dataclass(frozen=True, slots=True)
class PlacesView:
    """The story's map, its table, the countries' totals and the names the gazetteer did not know."""

    svg: Markup
    rows: tuple[PlaceRow, ...]
    countries: tuple[CountryMark, ...]
    cities: tuple[CityMark, ...]
    unknown: tuple[str, ...]
    n_articles: int

    @property
    def empty(self) -> bool:
        return not self.rows


def place_names(store: StoryReader, articles: Sequence[Article]) -> list[PlaceName]:
    """The datelines and place mentions of the originals among ``articles`` (at most
    ``MAX_MAP_ARTICLES``), in article order."""
    names: list[PlaceName] = []
    entities: dict[str, Entity | None] = {}
    originals = [a for a in articles if a.duplicate_of is None][:MAX_MAP_ARTICLES]
    for article in originals:
        if article.place and article.place.strip():
            names.append(PlaceName(article.id, (article.place.strip(),), dateline=True))
        for mention in store.article_facts(article.id).mentions:
            if mention.type.upper() not in PLACE_TYPES or not mention.text.strip():
                continue
            alternatives: tuple[str, ...] = ()
            if mention.entity_id:
                if mention.entity_id not in entities:
                    entities[mention.entity_id] = store.get_entity(mention.entity_id)
                entity = entities[mention.entity_id]
                alternatives = (entity.name, *entity.aliases) if entity is not None else ()
            names.append(PlaceName(article.id, (mention.text.strip(), *alternatives)))
    return names


def places_view(resolved: Sequence[Resolved], unknown: Sequence[PlaceName], n_articles: int) -> PlacesView:
    """Counts per country and per city of the resolved names, the map and its table."""
    gaz = gazetteer()
    per_country: Counter[str] = Counter(r.place.country for r in resolved)
    per_place: Counter[tuple[str, str, str]] = Counter(
        (r.place.name, r.place.country, r.place.kind) for r in resolved
    )
    coords = {(r.place.name, r.place.country): (r.place.lat, r.place.lon) for r in resolved}
    countries = tuple(
        CountryMark(code, gaz.country_name(code), n)
        for code, n in sorted(per_country.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    cities = []
    for (name, code, kind), n in per_place.items():
        lat, lon = coords[(name, code)]
        if kind == "city" and lat is not None and lon is not None:
            cities.append(CityMark(name, gaz.country_name(code), lat, lon, n))
    rows = tuple(
        PlaceRow(name, gaz.country_name(code), kind, n)
        for (name, code, kind), n in sorted(per_place.items(), key=lambda kv: (-kv[1], kv[0]))
    )[:TABLE_ROWS]
    missing = Counter(u.names[0] for u in unknown)
    svg = place_map(countries, cities, title="places the articles name, on a world map")
    return PlacesView(
        svg, rows, countries, tuple(cities), tuple(n for n, _ in missing.most_common(12)), n_articles
    )


def story_places(store: StoryReader, articles: Sequence[Article]) -> PlacesView:
    """The places of a story's articles (see the module docstring)."""
    names = place_names(store, articles)
    resolved, unknown = resolve_places(gazetteer(), names)
    n = len({r.name.article_id for r in resolved})
    return places_view(resolved, unknown, n)


def warm() -> None:
    """Load the gazetteer and the map outlines now (``create_app`` calls it in a thread at start)."""
    try:
        gazetteer()
        world()
    except Exception:  # a page that needs them will raise it again, visibly
        LOGGER.exception("web: could not load the map's gazetteer or outlines")


class PlacesCache:
    """Story maps cached under ``(id, n_articles, last_seen)`` (bounded LRU)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, int, str], PlacesView] = OrderedDict()

    def __repr__(self) -> str:
        return f"PlacesCache(size={self.size})"

    def get(self, store: StoryReader, story: Story, articles: Sequence[Article]) -> PlacesView:
        key = (story.id, story.n_articles, story.last_seen_at.isoformat() if story.last_seen_at else "")
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        view = story_places(store, articles)
        with self._lock:
            self._items[key] = view
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return view
