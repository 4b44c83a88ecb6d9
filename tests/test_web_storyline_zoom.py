"""The storyline page's zoomable timeline (issue #14 part 7): the same ``from``/``to`` controls as the
story page's coverage (``web/zoom.py``), the stories cut to the period shown, weekly columns linking to
their week, and a table of the stories in the period (TestClient)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from storyline.settings import Settings
from storyline.web import create_app
from storyline.web.charts import Span, spans
from tests.storyline_zoom_store import HOSTILE_LABEL, N_STORIES, zoom_store


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(zoom_store(), Settings(trusted_hosts="testserver")))


def _timeline(html: str) -> str:
    start = html.index('id="timeline"')
    return html[start : html.index("</section>", start)]


def _table_stories(section: str) -> list[str]:
    return re.findall(r'<tr><td><a href="/stories/(z\d)">', section)


def test_the_whole_storyline_with_its_zoom_controls(client: TestClient) -> None:
    tl = _timeline(client.get("/storylines/l1").text)
    assert f"Showing 1 Jan – 26 Jun 2024: {N_STORIES} of {N_STORIES} dated stories." in tl
    assert "Zoom in" in tl and "Zoom out" not in tl and "Whole storyline" not in tl
    assert tl.count('<svg class="spans"') == 1 and tl.count('<a href="/stories/z') == 2 * N_STORIES
    # a column per week a story runs in, each zooming into its week
    weeks = re.findall(r'<a class="zoom" href="/storylines/l1\?from=([\d-]+)&amp;to=([\d-]+)">', tl)
    assert len(weeks) == 13 and ("2024-01-01", "2024-01-07") in weeks
    assert tl.count('<ol class="brush"') == 1 and tl.count("<li><a href=") == 6
    assert _table_stories(tl) == [f"z{k}" for k in range(N_STORIES)]
    assert "<script>alert(5)" not in tl and "&lt;script&gt;alert(5)&lt;/script&gt; Talks" in tl
    assert HOSTILE_LABEL not in tl


def test_a_zoom_link_changes_the_period_shown(client: TestClient) -> None:
    whole = _timeline(client.get("/storylines/l1").text)
    found = re.search(r'<a class="zoom-in" href="([^"#]+)#timeline"', whole)
    assert found is not None
    zoomed = client.get(found.group(1).replace("&amp;", "&"))
    assert zoomed.status_code == 200
    tl = _timeline(zoomed.text)
    assert "Showing 14 Feb – 13 May 2024: 3 of 5 dated stories." in tl  # the middle half
    assert _table_stories(tl) == ["z1", "z2", "z3"]
    assert "Zoom out" in tl and 'href="/storylines/l1#timeline">Whole storyline' in tl


def test_a_month_shows_daily_columns_and_only_its_stories(client: TestClient) -> None:
    tl = _timeline(client.get("/storylines/l1?from=2024-02-01&to=2024-02-29").text)
    assert "Showing 1 – 29 Feb 2024: 1 of 5 dated stories." in tl and "Over time, 1 – 29 Feb 2024" in tl
    assert _table_stories(tl) == ["z1"] and tl.count('<a href="/stories/z1">') == 2
    assert "stories running per day" in tl and '<a class="zoom"' not in tl  # days: nothing to zoom into
    assert "2024-02-01</text>" in tl and "2024-02-29</text>" in tl  # the axis is the period shown


def test_a_period_between_stories_shows_none(client: TestClient) -> None:
    tl = _timeline(client.get("/storylines/l1?from=2024-01-10&to=2024-01-20").text)
    assert "0 of 5 dated stories" in tl and '<svg class="spans"' not in tl and not _table_stories(tl)
    assert "Zoom out" in tl


@pytest.mark.parametrize("query", ["from=2024-99-01", "to=not-a-date", "from=2024-02-30&to=2024-03-01"])
def test_bad_dates_are_refused(client: TestClient, query: str) -> None:
    assert client.get(f"/storylines/l1?{query}").status_code == 422


def test_a_period_outside_the_storyline_shows_it_all(client: TestClient) -> None:
    tl = _timeline(client.get("/storylines/l1?from=2030-01-01&to=2030-02-01").text)
    assert f"{N_STORIES} of {N_STORIES} dated stories" in tl and "Zoom out" not in tl


def test_spans_are_cut_to_the_period() -> None:
    day = datetime(2024, 3, 1, tzinfo=UTC)
    rows = [Span("long", "/stories/a", datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 6, 1, tzinfo=UTC), 3)]
    svg = spans(rows, title="t", width=216, period=(day, datetime(2024, 3, 11, tzinfo=UTC)))
    # left 8 + plot 200: a story running through the whole period fills it, no further
    assert 'x="8" y="6" width="200"' in svg
    assert "2024-03-01</text>" in svg and "2024-03-10</text>" in svg
