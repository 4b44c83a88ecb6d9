"""The pictures (issue #14 part 7): the gazetteer, the map, the co-mention graph, the diversity bars and
the zoomable coverage timeline, as units and on the pages (TestClient)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from storyline.settings import Settings
from storyline.web import create_app
from storyline.web.charts import bars
from storyline.web.charts_graph import GraphNode, co_graph, layout
from storyline.web.charts_map import CityMark, CountryMark, place_map, project, shade, world
from storyline.web.gazetteer import Gazetteer, PlaceName, gazetteer, resolve_places
from storyline.web.places import place_names
from storyline.web.zoom import Period, zoom_periods
from tests.pictures_store import HOSTILE_ENTITY, HOSTILE_PLACE, N, picture_store


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return gazetteer()


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(picture_store(), Settings(trusted_hosts="testserver")))


def _resolve(gaz: Gazetteer, *names: str, dateline: str | None = None) -> dict[str, tuple[str, str]]:
    given = [PlaceName("a", (n,)) for n in names]
    given += [PlaceName("a", (dateline,), dateline=True)] if dateline else []
    resolved, _ = resolve_places(gaz, given)
    return {r.shown: (r.place.country, r.place.name) for r in resolved}


# -- the gazetteer -------------------------------------------------------------------------------------


def test_paris_alone_is_the_french_one(gaz: Gazetteer) -> None:
    assert {p.place.country for p in gaz.candidates("Paris")} >= {"FR", "US"}
    assert _resolve(gaz, "Paris")["Paris"] == ("FR", "Paris")


def test_paris_with_texas_or_a_texan_dateline_is_the_texan_one(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Paris", "Texas")["Paris"] == ("US", "Paris")
    assert _resolve(gaz, "Paris", dateline="Dallas")["Paris"] == ("US", "Paris")
    # the context is the article's: another article's Texas does not move this article's Paris
    resolved, _ = resolve_places(gaz, [PlaceName("a", ("Paris",)), PlaceName("b", ("Texas",))])
    assert resolved[0].place.country == "US"  # the story's places decide when the article has none
    resolved, _ = resolve_places(
        gaz, [PlaceName("a", ("Paris",)), PlaceName("a", ("Lyon",)), PlaceName("b", ("Texas",))]
    )
    assert resolved[0].place.country == "FR"


def test_ambiguous_names_follow_the_other_places(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Georgia", "Tbilisi")["Georgia"] == ("GE", "Georgia")
    assert _resolve(gaz, "Georgia", "Atlanta")["Georgia"] == ("US", "Georgia")
    assert _resolve(gaz, "London")["London"] == ("GB", "London")
    assert _resolve(gaz, "London", "Ontario")["London"][0] in {"CA", "GB"}  # Ontario: not a state here


def test_names_in_other_languages_and_short_forms(gaz: Gazetteer) -> None:
    found = _resolve(gaz, "München", "Moskau", "Deutschland", "U.S.", "Россия", "北京")
    assert found == {
        "München": ("DE", "Munich"),
        "Moskau": ("RU", "Moscow"),
        "Deutschland": ("DE", "Germany"),
        "U.S.": ("US", "United States"),
        "Россия": ("RU", "Russia"),
        "北京": ("CN", "Beijing"),
    }


def test_unknown_names_are_returned_not_guessed(gaz: Gazetteer) -> None:
    resolved, unknown = resolve_places(gaz, [PlaceName("a", (n,)) for n in ("Europe", "Sunday", "Paris")])
    assert [r.shown for r in resolved] == ["Paris"]
    assert [u.names[0] for u in unknown] == ["Europe", "Sunday"]


def test_only_datelines_and_place_mentions_are_looked_up() -> None:
    store = picture_store()
    articles = [a for a in (store.get_article(f"a{i}") for i in range(N)) if a is not None]
    names = place_names(store, articles)
    looked = {n.names[0] for n in names}
    assert "Paris Hilton" not in looked and "Berlin Partners" not in looked and "Minister Vale" not in looked
    assert looked == {"PARIS", "Paris", "France", "Lyon", "Texas", "Dallas", HOSTILE_PLACE}
    assert sum(n.dateline for n in names) == 4
    paris = next(n for n in names if n.names[0] == "Paris" and len(n.names) > 1)
    assert paris.names == ("Paris", "Paris", "Parigi")  # the entity's name and aliases as fallbacks


# -- the map -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (48.85, 2.35, "FR"),
        (-33.87, 151.21, "AU"),
        (40.71, -74.01, "US"),
        (-22.9, -43.2, "BR"),
        (35.7, 139.7, "JP"),
    ],
)
def test_the_projection_puts_cities_in_their_country(lat: float, lon: float, code: str) -> None:
    x, y = project(lat, lon)
    x0, y0, x1, y1 = world().bounds[code]
    assert x0 <= x <= x1 and y0 <= y <= y1


def test_shades_grow_with_mentions() -> None:
    assert [shade(n, 100) for n in (0, 1, 10, 40, 100)] == [0, 1, 2, 3, 4]


def test_the_map_escapes_names_and_crops_to_the_places() -> None:
    svg = place_map(
        [CountryMark("FR", "France", 3)],
        [CityMark(HOSTILE_PLACE, "France", 48.85, 2.35, 2)],
        title="a <b>title</b>",
    )
    assert "<img" not in svg and "&lt;img src=x onerror=alert(1)&gt;" in svg and "&lt;b&gt;" in svg
    view = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]  # type: ignore[union-attr]
    assert view[2] < 2475 / 2  # cropped around France, not the whole world
    assert svg.count('<use class="country') == 1 and svg.count('<circle class="city"') == 1
    assert place_map([], [], title="empty") == ""


# -- the graph -----------------------------------------------------------------------------------------


def _nodes(n: int) -> list[GraphNode]:
    return [
        GraphNode(f"Entity {k}", ("PER", "ORG", "LOC", "MISC")[k % 4], n - k, f"/entities/e{k}")
        for k in range(n)
    ]


def test_the_graph_layout_is_fixed_and_nearer_for_more_co_mentions() -> None:
    first = layout(_nodes(6), width=760, height=420)
    assert first == layout(_nodes(6), width=760, height=420)
    (cx, cy), placed = first
    distance = [((p.x - cx) / 230) ** 2 + ((p.y - cy) / 170) ** 2 for p in placed]
    assert distance == sorted(distance)  # the most co-mentioned (first) is the nearest
    assert co_graph(GraphNode("X", "PER", 9, ""), _nodes(6), title="t") == co_graph(
        GraphNode("X", "PER", 9, ""), _nodes(6), title="t"
    )


def test_the_graph_escapes_hostile_labels_and_links_each_node() -> None:
    others = [*_nodes(20), GraphNode(HOSTILE_ENTITY, "ORG", 30, "/entities/e-evil")]
    svg = co_graph(GraphNode(HOSTILE_PLACE, "LOC", 9, ""), others, title=HOSTILE_ENTITY)
    assert "<script>" not in svg and "<img" not in svg
    assert "Evil &lt;script&gt;alert(7)&lt;/script&gt; Corp" in svg
    assert svg.count('<a class="node') == 12  # GRAPH_NODES at most
    assert 'href="/entities/e-evil"' in svg and 'class="node t-org"' in svg
    assert co_graph(GraphNode("X", "PER", 1, ""), [], title="t") == ""


def test_bars_escape_labels_and_keep_the_order() -> None:
    svg = bars([(HOSTILE_ENTITY, 5), ("b.example", 2)], title="sources")
    assert "<script>" not in svg and svg.count('<g class="bar-row">') == 2
    assert svg.index("Evil") < svg.index("b.example")


# -- zoom ----------------------------------------------------------------------------------------------


def test_zoom_links_halve_double_and_cover_the_whole() -> None:
    whole = Period(date(2024, 1, 1), date(2024, 4, 29))
    z = zoom_periods(whole)
    assert z.shown == whole and z.zoom_out is None and not z.zoomed
    assert z.zoom_in is not None and z.zoom_in.days <= whole.days // 2 + 1
    assert z.brush[0].first == whole.first and z.brush[-1].last == whole.last
    assert all((b.first - a.last).days == 1 for a, b in zip(z.brush, z.brush[1:], strict=False))
    inner = zoom_periods(whole, date(2024, 2, 1), date(2024, 2, 10))
    assert inner.zoomed and inner.zoom_out is not None and inner.zoom_out.days == 20
    edge = zoom_periods(whole, date(2024, 1, 1), date(2024, 1, 10))
    assert edge.zoom_out == Period(date(2024, 1, 1), date(2024, 1, 20))  # moved inside the story
    assert zoom_periods(whole, date(2025, 1, 1), date(2025, 2, 1)).shown == whole  # outside: the whole
    assert zoom_periods(whole, date(2024, 3, 1), date(2024, 2, 1)).shown.first == date(2024, 2, 1)


# -- the pages -----------------------------------------------------------------------------------------


def _section(html: str, anchor: str) -> str:
    start = html.index(anchor)
    return html[start : html.index("</section>", start)]


def test_story_map_and_its_table(client: TestClient) -> None:
    html = client.get("/stories/s1").text
    places = _section(html, 'id="places"')
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td class=\"num\">(\d+)</td></tr>", places)
    assert rows == [
        ("Paris", "France", "11"),
        ("France", "France", "7"),
        ("Lyon", "France", "4"),
        ("Dallas", "United States", "1"),
        ("Paris", "United States", "1"),
        ("Texas", "United States", "1"),
    ]
    assert places.count('<use class="country') == 2 and places.count('<circle class="city"') == 4
    assert "France: 22 mentions" in places and "United States: 3 mentions" in places
    assert "Paris Hilton" not in places and "Berlin" not in places
    assert "Not on the map" in places and "&lt;img src=x onerror=alert(1)&gt;" in places
    assert "<img src=x" not in html


def test_world_outlines_are_served_once_per_browser(client: TestClient) -> None:
    response = client.get("/maps/world.svg")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert "max-age" in response.headers["cache-control"]
    body = response.text
    assert (
        body.count('<g id="') == len(world().paths) + 1 and '<g id="fr">' in body and '<g id="land">' in body
    )
    assert "<script" not in body and "style" not in body


def test_diversity_bars_and_tables(client: TestClient) -> None:
    section = _section(client.get("/stories/s1").text, 'id="diversity"')
    assert section.count('<svg class="bars"') == 2
    assert section.count('<g class="bar-row">') == 3 + 3  # three sources, three languages
    assert '<td>wire.example</td><td class="num">3</td>' in section
    assert '<td>en</td><td class="num">4</td>' in section
    assert "<script>" not in section and "Evil &lt;script&gt;" in section


def test_coverage_zooms_to_a_period(client: TestClient) -> None:
    html = client.get("/stories/s1").text
    cov = _section(html, 'id="coverage"')
    assert f"{N} of {N} dated articles" in cov and "Zoom out" not in cov and "Zoom in" in cov
    assert cov.count('<a class="zoom" href="/stories/s1?from=') == N  # weekly columns link to their week
    assert cov.count('<ol class="brush"') == 1 and cov.count("<li><a href=") == 6
    zoomed = client.get("/stories/s1?from=2024-01-10&to=2024-02-10")
    assert zoomed.status_code == 200
    cov = _section(zoomed.text, 'id="coverage"')
    assert "Showing 10 Jan – 10 Feb 2024: 2 of 8 dated articles." in cov
    assert "Zoom out" in cov and 'href="/stories/s1#coverage">Whole story' in cov
    assert cov.count("<rect class=") == 2 and "per day" in cov  # daily columns in a month
    assert 'href="/stories/s1?from=2024-01-10&amp;to=2024-02-10&amp;by=language"' in cov  # by keeps it
    assert client.get("/stories/s1?from=2024-99-01").status_code == 422
    wide = client.get("/stories/s1?from=0001-01-01&to=9999-12-31")
    assert wide.status_code == 200 and f"{N} of {N} dated articles" in wide.text
    one_day = _section(client.get("/stories/s1?from=2024-01-01&to=2024-01-01").text, 'id="coverage"')
    assert "Showing 1 Jan 2024: 1 of 8" in one_day and "Zoom in" not in one_day


def test_entity_graph_and_table(client: TestClient) -> None:
    html = client.get("/entities/e-vale").text
    co = _section(html, 'id="co-mentioned"')
    assert co.count('<svg class="graph"') == 1 and co.count('<a class="node') == 7
    assert co.count("<tr><td><a href=") == 7
    assert 'href="/entities/e-jane"' in co and "<script>alert(7)" not in co
    assert "Evil &lt;script&gt;alert(7)&lt;/script&gt; Corp" in co


def test_a_place_entity_page_shows_it_on_the_map(client: TestClient) -> None:
    html = client.get("/entities/e-paris").text
    section = _section(html, 'id="places"')
    assert '<svg class="map"' in section and "<td>Paris</td><td>France</td>" in section
    person = client.get("/entities/e-hilton").text
    assert 'id="places"' not in person  # a person called Paris is not a place
