"""Dates keep their precision end to end (issue #16): a year stays a year, a month a month, a week a
week, from the tagger through the store to the JSON, the digest timeline, the pages and the CLI.

One article published 2021-02-17 ("opened in 2001", "resume in May", "began last week") goes through
``pipeline.run`` into a SQLite store with understanding and stories on; the assertions read it back
the ways a person or a tool would.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from storyline.cli import cli
from storyline.digest import event_timeline
from storyline.ingest import jsonl_item
from storyline.model import Article, RawDoc, Rejection, TimeMention
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store import SqliteStore
from storyline.web import create_app

TEXT = (
    "Leeds (Reuters) - Acme Corp said it would close its Leeds plant. The plant opened in 2001 and "
    "employs 900 people. Talks with the union are due to resume in May, and a strike began last week. "
    "Workers marched through Leeds on Monday."
)
PUBLISHED = "2021-02-17T09:00:00Z"
#: what the tagger makes of each phrase (unchanged by this issue: only what happens after tagging)
EXPECTED = {"2001": ("2001", "year"), "May": ("2021-05", "month"), "last week": ("2021-W06", "week")}
#: how a page or the CLI shows each value, and the day-precision forms it must never show instead
SHOWN = {"2001": "2001", "2021-05": "May 2021", "2021-W06": "week 6 of 2021"}
NEVER = ("2001-01-01", "1 Jan 2001", "1 January 2001", "2021-05-01", "1 May 2021", "2021-02-08")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    path = tmp_path_factory.mktemp("dateprec") / "dates.db"
    store = SqliteStore(path)
    row = {"id": "plant-1", "title": "Acme to close Leeds plant", "source": "wire.example"}
    row |= {"published": PUBLISHED, "language": "en", "text": TEXT}
    item: RawDoc | Rejection | None = jsonl_item(json.dumps(row).encode(), "dates.jsonl:1")
    assert isinstance(item, RawDoc)
    settings = Settings(db=str(path), workers=1, understand=True, stories=True)
    run([item], Components.for_store(settings, store), store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def article_id(seeded: SqliteStore) -> str:
    (article,) = list(seeded.iter_articles())
    return article.id


@pytest.fixture(scope="module")
def story_id(seeded: SqliteStore, article_id: str) -> str:
    found = seeded.story_ids_of([article_id]).get(article_id)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def client(seeded: SqliteStore) -> TestClient:
    settings = Settings(db=str(seeded.path), workers=1, trusted_hosts="testserver")
    return TestClient(create_app(seeded, settings))


def _by_text(rows: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {r["text"]: r for r in rows}


def test_the_store_keeps_the_timex_value(seeded: SqliteStore, article_id: str) -> None:
    times = {t.text: t for t in seeded.article_facts(article_id).time_mentions}
    for text, (value, _) in EXPECTED.items():
        assert times[text].value == value, text
        assert times[text].is_event, text


def test_show_json_has_value_and_precision(seeded: SqliteStore, article_id: str) -> None:
    args = ["--db", str(seeded.path), "show", article_id, "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    dates = _by_text(json.loads(result.stdout)["dates"])
    for text, (value, precision) in EXPECTED.items():
        assert dates[text]["value"] == value and dates[text]["precision"] == precision, text
    assert dates["Monday"]["value"] == "2021-02-15" and dates["Monday"]["precision"] == "day"


def test_show_text_gives_the_precision(seeded: SqliteStore, article_id: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(seeded.path), "show", article_id])
    assert result.exit_code == 0, result.output
    assert "'2001' -> 2001 (DATE, year, event)" in result.output
    assert "'last week' -> 2021-W06 (DATE, week, event)" in result.output


def test_digest_json_timeline_has_precision_and_sorts_by_start(client: TestClient, story_id: str) -> None:
    body = client.get(f"/api/v1/stories/{story_id}/digest").json()
    timeline = {e["value"]: e for e in body["timeline"]}
    for value, precision in EXPECTED.values():
        assert timeline[value]["precision"] == precision, value
    assert timeline["2021-02-15"]["precision"] == "day"
    # the existing fields keep their meaning: ``date`` is the first day, which the timeline sorts by
    assert timeline["2001"]["date"] == "2001-01-01" and timeline["2021-W06"]["date"] == "2021-02-08"
    order = [e["value"] for e in body["timeline"] if e["date"]]
    assert order == ["2001", "2021-W06", "2021-02-15", "2021-05"]
    assert timeline["2021-05"]["status"] == "upcoming" and timeline["2021-W06"]["status"] == "happened"
    assert timeline["2001"]["status"] == "happened"


def test_digest_page_shows_each_event_at_its_precision(client: TestClient, story_id: str) -> None:
    html = client.get(f"/stories/{story_id}/digest").text
    events = html[html.index('<ol class="event-list">') :]
    events = events[: events.index("</ol>")]
    shown = re.findall(r"<li class=\"(?:happened|upcoming)\"><strong>([^<]*)</strong>", events)
    assert shown == ["2001", "week 6 of 2021", "15 Feb 2021", "May 2021"]
    chart = html[html.index('<svg class="events"') :]
    chart = chart[: chart.index("</svg>")]
    for label in SHOWN.values():
        assert f">{label} · " in chart, label
    for wrong in NEVER:
        assert wrong not in events and wrong not in chart, wrong


def test_article_page_shows_each_date_at_its_precision(client: TestClient, article_id: str) -> None:
    html = client.get(f"/articles/{article_id}").text
    for text, (value, _) in EXPECTED.items():
        if SHOWN[value] == text:  # "2001" needs no "→ 2001"
            assert f"<li>{text}</li>" in html, text
        else:
            assert f'{text} <span class="muted">→ {SHOWN[value]}' in html, text
    for wrong in NEVER:
        assert wrong not in html, wrong


def test_digest_cli_prints_the_timeline_at_its_precision(seeded: SqliteStore, story_id: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(seeded.path), "digest", story_id])
    assert result.exit_code == 0, result.output
    timeline = result.output[result.output.index("Timeline") : result.output.index("Figures")]
    lines = [line.split("  ")[0] for line in timeline.splitlines() if line.startswith("- ")]
    assert [line.removeprefix("- ").strip() for line in lines] == [
        "2001",
        "week 6 of 2021",
        "15 Feb 2021",
        "May 2021",
    ]


def test_timeline_event_says_its_precision() -> None:
    article = Article("a", "x " * 40, published_at=datetime(2021, 2, 17, tzinfo=UTC))
    times = {
        "a": [
            TimeMention("a", 0, 4, "2001", "DATE", "2001", is_event=True),
            TimeMention("a", 6, 9, "May", "DATE", "2021-05", is_event=True),
            TimeMention("a", 10, 14, "10am", "TIME", "2021-02-17T10:00", is_event=True),
        ]
    }
    events = {e.value: e for e in event_timeline([article], times, {})}
    assert events["2001"].precision == "year" and events["2001"].day == date(2001, 1, 1)
    assert events["2021-05"].precision == "month" and events["2021-02-17"].precision == "day"


@pytest.mark.parametrize(
    ("value", "precision", "start", "shown"),
    [
        ("2001", "year", date(2001, 1, 1), "2001"),
        ("2001-05", "month", date(2001, 5, 1), "May 2001"),
        ("XXXX-05", "month", None, "May"),
        ("2021-W07", "week", date(2021, 2, 15), "week 7 of 2021"),
        ("2021-02-17", "day", date(2021, 2, 17), "17 Feb 2021"),
        ("XXXX-02-17", "day", None, "17 Feb"),
        ("2021-02-17T10:30", "time", date(2021, 2, 17), "17 Feb 2021 10:30"),
        ("2021-02-17TMO", "time", date(2021, 2, 17), "17 Feb 2021 morning"),
        ("2020-Q1", None, None, "2020-Q1"),
        ("199", None, None, "199"),
        ("PRESENT_REF", None, None, "PRESENT_REF"),
        ("2021-13", None, None, "2021-13"),
        ("2021-W60", None, None, "2021-W60"),
        ("", None, None, ""),
    ],
)
def test_timex_precision_start_and_label(
    value: str, precision: str | None, start: date | None, shown: str
) -> None:
    from storyline.model import timex_label, timex_precision, timex_start

    assert timex_precision(value) == precision
    assert timex_start(value) == start
    assert timex_label(value) == shown
