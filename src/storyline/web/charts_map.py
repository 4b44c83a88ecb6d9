"""A world map as server-side SVG: countries shaded by how often a story names them, cities as dots.

The country outlines are the world map ``pygal-maps-world`` ships (``worldmap.svg``: one group of paths
per country, keyed by ISO alpha-2, on a Robinson projection; LGPL-3.0+, used as data, pygal's renderer
is never called). ``world_svg`` serves them once as ``/maps/world.svg``, each country a ``<g id>``;
a page's map is a small inline SVG that draws the land with ``<use href="/maps/world.svg#land">`` and
each shaded country with ``<use href="/maps/world.svg#fr" class="m3">`` (they inherit the class's fill,
so colours stay in the stylesheet: no inline style under the Content-Security-Policy), so the 780 kB
outlines are fetched once per browser. The view is cropped to the places shown. Labels (place and
country names, which come from articles) enter only through ``Markup.format``, which escapes them.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files

from markupsafe import Markup

LOGGER = logging.getLogger(__name__)

WORLD_URL = "/maps/world.svg"
WIDTH, HEIGHT = 2475.0, 1388.0
"""The map's own coordinates (its viewBox)."""
SHADES = 4
"""Shade steps of a country (classes ``m1`` .. ``m4``), by mentions relative to the most named."""
MIN_VIEW = 420.0
"""The narrowest crop, in map units (a sixth of the world's width)."""

# Robinson projection table (Robinson 1974): X and Y factors per 5 degrees of latitude.
_ROBINSON_X = (
    1.0, 0.9986, 0.9954, 0.99, 0.9822, 0.973, 0.96, 0.9427, 0.9216, 0.8962, 0.8679, 0.835, 0.7986,
    0.7597, 0.7186, 0.6732, 0.6213, 0.5722, 0.5322,
)  # fmt: skip
_ROBINSON_Y = (
    0.0, 0.062, 0.124, 0.186, 0.248, 0.31, 0.372, 0.434, 0.4958, 0.5571, 0.6176, 0.6769, 0.7346, 0.7903,
    0.8435, 0.8936, 0.9394, 0.9761, 1.0,
)  # fmt: skip
# Where the pygal map puts (lon, lat): fitted on the largest cities of every country (they fall
# inside their country's outline, or within 2-3 map units of it on coasts and borders).
_X0, _KX = 1205.1, 1374.98
_Y0, _KY = 684.725, -698.43

_GROUP = re.compile(r'<g class="([a-z]{2}) country map-element">(.*?)</g>', re.S)
_PATH_D = re.compile(r'\sd="([^"]*)"')
_TOKEN = re.compile(r"[a-zA-Z]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
_ARITY = {"m": 2, "l": 2, "c": 6, "s": 4, "q": 4, "t": 2, "h": 1, "v": 1}


def project(lat: float, lon: float) -> tuple[float, float]:
    """``(x, y)`` on the map of a point at ``lat``, ``lon`` (degrees)."""
    a = min(abs(lat), 90.0) / 5
    i = min(int(a), 17)
    f = a - i
    px = _ROBINSON_X[i] + (_ROBINSON_X[i + 1] - _ROBINSON_X[i]) * f
    py = _ROBINSON_Y[i] + (_ROBINSON_Y[i + 1] - _ROBINSON_Y[i]) * f
    return _X0 + _KX * px * math.radians(lon) / math.pi, _Y0 + _KY * math.copysign(py, lat)


def _bbox(d: str) -> tuple[float, float, float, float]:
    """Bounds of a path of relative commands (``m c s l h v``, as the map has), from its segment ends."""
    x = y = 0.0
    xs, ys = [], []
    command = "m"
    tokens = _TOKEN.findall(d)
    k, first = 0, True
    while k < len(tokens):
        if tokens[k].isalpha():
            command = tokens[k].lower()
            k += 1
            continue
        arity = _ARITY.get(command, 2)
        values = [float(t) for t in tokens[k : k + arity]]
        k += arity
        if command == "m" and first:
            x, y, first = values[0], values[1], False
        elif command == "h":
            x += values[0]
        elif command == "v":
            y += values[0]
        elif len(values) >= 2:
            x, y = x + values[-2], y + values[-1]
        if command == "m":
            command = "l"
        xs.append(x)
        ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class WorldMap:
    """The outlines: each country's path data and bounds, keyed by upper-case ISO alpha-2."""

    paths: dict[str, tuple[str, ...]]
    bounds: dict[str, tuple[float, float, float, float]]

    def svg(self) -> str:
        """The standalone SVG served at ``WORLD_URL``: all land in ``#land``, each country ``#xx``."""
        groups = [
            f'<g id="{code.lower()}">' + "".join(f'<path d="{d}"/>' for d in paths) + "</g>"
            for code, paths in sorted(self.paths.items())
        ]
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}">'
            f'<g id="land">{"".join(groups)}</g></svg>'
        )


def load_world() -> WorldMap:
    """The outlines from the installed ``pygal-maps-world``."""
    text = (files("pygal_maps_world") / "worldmap.svg").read_text(encoding="utf-8")
    paths: dict[str, tuple[str, ...]] = {}
    bounds: dict[str, tuple[float, float, float, float]] = {}
    for match in _GROUP.finditer(text):
        code = match.group(1).upper()
        ds = tuple(_PATH_D.findall(match.group(2)))
        boxes = [_bbox(d) for d in ds]
        paths[code] = ds
        bounds[code] = (
            min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes),
        )  # fmt: skip
    return WorldMap(paths, bounds)


_LOCK = threading.Lock()
_WORLD: list[WorldMap] = []
_SERVED: list[bytes] = []


def world() -> WorldMap:
    """The process's outlines, read on first use."""
    with _LOCK:
        if not _WORLD:
            _WORLD.append(load_world())
        return _WORLD[0]


def world_svg() -> bytes:
    """``WorldMap.svg()`` as bytes, built once."""
    found = world()
    with _LOCK:
        if not _SERVED:
            _SERVED.append(found.svg().encode())
        return _SERVED[0]


@dataclass(frozen=True, slots=True)
class CountryMark:
    """A country to shade: ISO alpha-2, its name, how many mentions point to it."""

    code: str
    name: str
    n: int


@dataclass(frozen=True, slots=True)
class CityMark:
    """A city to dot: its name, its country's name, coordinates, mentions."""

    name: str
    country: str
    lat: float
    lon: float
    n: int


def shade(n: int, top: int) -> int:
    """The shade step (1 .. ``SHADES``) of ``n`` mentions when the most named country has ``top``."""
    if n <= 0 or top <= 0:
        return 0
    return max(1, min(SHADES, math.ceil(SHADES * math.sqrt(n / top))))


def _view(
    countries: Sequence[CountryMark], points: Sequence[tuple[float, float]], outlines: WorldMap
) -> tuple[float, float, float, float]:
    """``(x, y, w, h)``: the crop holding every shaded country and dot, at the map's aspect ratio."""
    boxes = [outlines.bounds[c.code] for c in countries if c.code in outlines.bounds]
    boxes += [(x, y, x, y) for x, y in points]
    if not boxes:
        return 0.0, 0.0, WIDTH, HEIGHT
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    ratio = HEIGHT / WIDTH
    w = max((x1 - x0) * 1.25, (y1 - y0) * 1.25 / ratio, MIN_VIEW)
    if w >= WIDTH:
        return 0.0, 0.0, WIDTH, HEIGHT
    h = w * ratio
    x = min(max((x0 + x1) / 2 - w / 2, 0.0), WIDTH - w)
    y = min(max((y0 + y1) / 2 - h / 2, 0.0), HEIGHT - h)
    return x, y, w, h


def _fmt(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


def _mentions(n: int) -> str:
    return f"{n} mention{'' if n == 1 else 's'}"


def place_map(countries: Sequence[CountryMark], cities: Sequence[CityMark], *, title: str) -> Markup:
    """The inline SVG map: shaded countries (``<title>`` on hover) and a dot per city, sized by
    mentions; empty markup when there is nothing to draw."""
    outlines = world()
    shown = [c for c in countries if c.code in outlines.paths and c.n > 0]
    points = [(project(c.lat, c.lon), c) for c in cities if c.n > 0]
    if not shown and not points:
        return Markup("")
    x, y, w, h = _view(shown, [p for p, _ in points], outlines)
    unit = w / 760  # one screen pixel at the usual width, in map units
    out = [
        Markup(
            '<svg class="map" viewBox="{x} {y} {w} {h}" role="img" aria-label="{t}"><title>{t}</title>'
            '<rect class="sea" x="{x}" y="{y}" width="{w}" height="{h}"/>'
            '<use class="land" href="{u}#land"/>'
        ).format(x=_fmt(x), y=_fmt(y), w=_fmt(w), h=_fmt(h), t=title, u=WORLD_URL)
    ]
    top = max((c.n for c in shown), default=0)
    for country in sorted(shown, key=lambda c: (c.n, c.code)):
        out.append(
            Markup(
                '<use class="country m{s}" href="{u}#{code}" data-code="{code}"><title>{t}</title></use>'
            ).format(
                s=shade(country.n, top),
                u=WORLD_URL,
                code=country.code.lower(),
                t=f"{country.name}: {_mentions(country.n)}",
            )
        )
    most = max((c.n for _, c in points), default=1)
    for (px, py), city in sorted(points, key=lambda p: -p[1].n):
        r = unit * (3.5 + 5.5 * math.sqrt(city.n / most))
        out.append(
            Markup('<circle class="city" cx="{cx}" cy="{cy}" r="{r}"><title>{t}</title></circle>').format(
                cx=_fmt(px), cy=_fmt(py), r=f"{r:.2f}", t=f"{city.name}, {city.country}: {_mentions(city.n)}"
            )
        )
    out.append(Markup("</svg>"))
    return Markup("").join(out)
