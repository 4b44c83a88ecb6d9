"""``scripts/screenshots.py`` covers every page, without running it (it needs ``../shared`` and minutes).

- Its pictures' routes are exactly the app's HTML pages: a new page without a picture fails, and so
  does a picture of a page that is gone. The app's HTML pages are its GET routes that answer HTML
  (``response_class=HTMLResponse``) or sit outside ``/api/`` without a file suffix (``.svg``, ``.atom``).
- Each picture's path is routed by the app to the route it claims.
- ``docs/screenshots/`` holds exactly the script's pictures, none too large, and the README's images
  are among them.
- The run is skipped, with the reason and nothing written, without the shared texts.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from starlette.routing import compile_path

from storyline.settings import Settings
from storyline.store import SqliteStore
from storyline.web import create_app
from tests.realistic_store import get_routes, html_routes

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "screenshots.py"
PICTURES = ROOT / "docs" / "screenshots"
MAX_PICTURE_BYTES = 1_000_000
MAX_TOTAL_BYTES = 8_000_000


@pytest.fixture(scope="module")
def screenshots() -> ModuleType:
    spec = importlib.util.spec_from_file_location("storyline_screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    db = tmp_path_factory.mktemp("shots") / "empty.db"
    return create_app(SqliteStore(db), Settings(db=str(db), workers=1))


def placeholder_picks(screenshots: ModuleType) -> object:
    return screenshots.Picks(
        story="s1", largest="s2", zoom=("2021-03-01", "2021-03-03"), storyline="l1", article="a1",
        person="e1", place="e2", compare=("a1", "a2"), watchlist="w1", words="NATO", meaning="troops+leave",
    )  # fmt: skip


def test_the_pictures_cover_every_html_page_of_the_app(screenshots: ModuleType, app: FastAPI) -> None:
    pages = html_routes(app)
    assert {"/", "/stories/{story_id}", "/entities/{entity_id}", "/search", "/docs"} <= pages
    assert len(pages) >= 15, sorted(pages)
    assert not {p for p in pages if p.startswith(("/api/", "/feeds/"))}
    missing = pages - screenshots.ROUTES
    assert not missing, f"pages without a screenshot, add them to SHOTS in scripts/screenshots.py: {missing}"
    stale = screenshots.ROUTES - pages
    assert not stale, f"SHOTS names routes the app no longer has (or that answer no HTML): {stale}"


def test_each_picture_is_of_the_route_it_names(screenshots: ModuleType, app: FastAPI) -> None:
    routes = [path for path, _ in get_routes(app)]
    picks = placeholder_picks(screenshots)
    for shot in screenshots.SHOTS:
        path = urlsplit(shot.path(picks)).path
        matched = next((r for r in routes if compile_path(r)[0].match(path)), None)
        assert matched == shot.route, (shot.name, path, matched)


def test_picture_names_are_unique_file_names(screenshots: ModuleType) -> None:
    names = [shot.name for shot in screenshots.SHOTS]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", name) for name in names), names
    assert all(shot.caption for shot in screenshots.SHOTS)


def test_docs_screenshots_are_the_scripts_pictures(screenshots: ModuleType) -> None:
    found = {p.stem: p.stat().st_size for p in PICTURES.glob("*.png")}
    assert set(found) == {shot.name for shot in screenshots.SHOTS}, "run scripts/screenshots.py"
    assert not [p for p in PICTURES.iterdir() if p.suffix != ".png"]
    too_large = {name: size for name, size in found.items() if size > MAX_PICTURE_BYTES}
    assert not too_large, too_large
    assert sum(found.values()) <= MAX_TOTAL_BYTES
    for path in PICTURES.glob("*.png"):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path.name


def test_readme_and_docs_show_existing_pictures() -> None:
    shown = 0
    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for target in re.findall(r"\]\(((?:docs/)?screenshots/[a-z0-9-]+\.png)\)", doc.read_text("utf-8")):
            assert (doc.parent / target).is_file(), (doc.name, target)
            shown += doc.name == "README.md"
    assert shown >= 2


def test_busiest_days(screenshots: ModuleType) -> None:
    times = [datetime(2021, 3, d, 12, tzinfo=UTC) for d in (1, 5, 6, 6, 7, 9, 20, 21)]
    assert screenshots.busiest_days(times) == ("2021-03-05", "2021-03-07")
    assert screenshots.busiest_days(times, days=1) == ("2021-03-06", "2021-03-06")
    assert screenshots.busiest_days(times[:1] + times[-2:], days=2) == ("2021-03-20", "2021-03-21")


def test_without_the_shared_texts_nothing_is_written(
    screenshots: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("STORYLINE_SHARED_DATA", str(tmp_path / "absent"))
    out = tmp_path / "out"
    assert screenshots.main(["--out", str(out)]) == 0
    assert "skipped: the screenshots need the shared texts" in capsys.readouterr().err
    assert not out.exists()


def test_the_docs_page_lists_every_picture(screenshots: ModuleType) -> None:
    text = (ROOT / "docs" / "screenshots.md").read_text(encoding="utf-8")
    assert text == screenshots.index(), "docs/screenshots.md is stale: run scripts/screenshots.py"
    for shot in screenshots.SHOTS:
        assert f"(screenshots/{shot.name}.png)" in text
