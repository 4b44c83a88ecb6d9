"""Publication dates of news pages: Storyline against ``htmldate.find_date`` alone.

The pages under ``fixtures/pages`` are cached, realistic news pages covering the common ways a
date is given (meta tags, JSON-LD, ``<time>``, URL, visible text in several languages and formats,
modified dates, copyright footers, relative dates), each with its known publication day in
``index.json``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from htmldate import find_date

from storyline.extract import extract_article
from storyline.extract.page_dates import byline_date, is_copyright_guess, url_date
from storyline.model import RawDoc
from storyline.settings import Settings

PAGES = Path(__file__).parent / "fixtures" / "pages"
INDEX = json.loads((PAGES / "index.json").read_text(encoding="utf-8"))


def storyline_day(html: bytes, url: str) -> date | None:
    article = extract_article(RawDoc("page.html", "html", html, url=url), Settings())
    return article.published_at.date() if article.published_at is not None else None


def htmldate_day(html: bytes) -> date | None:
    found = find_date(html.decode("utf-8"), original_date=True)
    return date.fromisoformat(found) if found else None


def within_a_day(found: date | None, known: date) -> bool:
    return found is not None and abs((found - known).days) <= 1


def test_the_fixture_set_covers_the_common_patterns() -> None:
    assert len(INDEX) >= 25
    assert all((PAGES / entry["file"]).is_file() for entry in INDEX)
    assert len({entry["language"] for entry in INDEX}) >= 6


def test_storyline_dates_pages_at_least_as_well_as_htmldate() -> None:
    ours = theirs = 0
    lost: list[str] = []
    for entry in INDEX:
        html = (PAGES / entry["file"]).read_bytes()
        known = date.fromisoformat(entry["date"])
        mine, reference = storyline_day(html, entry["url"]), htmldate_day(html)
        ours += within_a_day(mine, known)
        theirs += within_a_day(reference, known)
        if within_a_day(reference, known) and not within_a_day(mine, known):
            lost.append(f"{entry['file']}: htmldate {reference}, storyline {mine}, known {known}")
    print(f"within a day: storyline {ours}/{len(INDEX)}, htmldate {theirs}/{len(INDEX)}")
    assert lost == []
    assert ours >= theirs
    assert ours >= len(INDEX) - 1  # only "updated ..., first published ..." in plain text is missed


@pytest.mark.parametrize(
    "name", ["text_french", "text_dutch", "text_spanish", "text_portuguese", "url_date_compact"]
)
def test_pages_dated_only_in_text_or_url_get_their_date(name: str) -> None:
    """Before: no date at all (htmldate ran without its text search), or htmldate's copyright guess."""
    entry = next(e for e in INDEX if e["file"] == f"{name}.html")
    assert storyline_day((PAGES / entry["file"]).read_bytes(), entry["url"]) == date.fromisoformat(
        entry["date"]
    )


def test_a_copyright_year_alone_is_no_publication_date() -> None:
    html = (
        "<html><head><title>Port news</title></head><body><article><h1>Port news</h1>"
        + "<p>Dock workers walked out on Tuesday after talks on pay broke down again.</p>" * 5
        + "</article><footer>&copy; 2023 Harbour Times</footer></body></html>"
    ).encode()
    assert htmldate_day(html) == date(2023, 1, 1)  # htmldate's guess
    assert storyline_day(html, "https://harbour.example/port-news") is None
    assert is_copyright_guess("2023-01-01T00:00:00", html.decode())
    assert not is_copyright_guess("2023-01-01T09:30:00", html.decode())
    assert not is_copyright_guess("2022-01-01T00:00:00", html.decode())


def test_fallback_dates() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert url_date("https://x.example/news/20151021/slug.html") == datetime(2015, 10, 21, tzinfo=UTC)
    assert url_date("https://x.example/id/12345678901") is None
    page = (
        '<html lang="fr"><body><nav><span class="date">1 janvier 2001</span></nav>'
        '<div class="meta">Mis à jour le 18 juin 2020, publié le 12 juin 2020</div><p>Texte.</p>'
        '<div class="date">03/04/2019</div></body></html>'
    )
    assert byline_date(page, now) == datetime(2020, 6, 12, tzinfo=UTC)  # first block, earliest date
    assert byline_date(page.replace("2020", "2030"), now) == datetime(
        2019, 4, 3, tzinfo=UTC
    )  # future skipped
