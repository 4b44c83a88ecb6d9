"""``storyline migrate-store``: SQLite -> PostgreSQL -> SQLite loses nothing, and the CLI reads PostgreSQL.

The seeds are ingested for real (stories, understanding), then rows no ingest of two files makes are
added (a merged story with its event, watchlists, alerts, deliveries, a source, sentence rows, text
with NUL). After the round trip, every table of the final SQLite file equals the original's row for
row, and ``stats --json``, ``search``, story ids and facts read the same through both stores.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.model import (
    Alert,
    Article,
    Assignment,
    Batch,
    Delivery,
    Source,
    Story,
    StoryEvent,
    Watchlist,
    alert_id,
    watchlist_id,
)
from storyline.store import SqliteStore
from storyline.store.postgres_copy import TABLES
from tests.conftest import AFP_SEED, DPA_SEED
from tests.pg import PgServer

T0 = datetime(2021, 2, 17, 9, 0, tzinfo=UTC)


def invoke(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def pg_empty(pg_server: PgServer) -> Iterator[str]:
    url = pg_server.empty_database()
    yield url
    pg_server.drop(url)


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("migrate") / "original.db"
    code, _, err = invoke(str(db), "-q", "ingest", str(AFP_SEED), str(DPA_SEED))
    assert code == 0, err
    with SqliteStore(db) as store:
        live = store.list_stories(limit=1)[0]
        store.write_batch(
            Batch(
                articles=(
                    Article(id="nul\x00id", text="Text with a NUL \x00 and \ue000 inside.", title="Odd"),
                ),
                assignments=(Assignment("nul\x00id", "s-merged", 0.5, True),),
                stories=(
                    Story(
                        "s-merged",
                        "merged",
                        1,
                        languages=("en",),
                        sources=("x",),
                        first_seen_at=T0,
                        last_seen_at=T0,
                        merged_into=live.id,
                    ),
                ),
                story_states={"s-merged": b"\x00state"},
                events=(StoryEvent("story_merge", "s-merged", live.id, "test", T0),),
                vectors={"nul\x00id": ("use.v1", b"\x01\x02")},
            )
        )
        watch = Watchlist(watchlist_id("Nato"), "Nato", keywords=("nato",), webhook_url="https://hook.test/x")
        store.add_watchlist(watch)
        wanted = Alert(alert_id(watch.id, "nul\x00id"), watch.id, "nul\x00id", None, 0.9, ("nato",), "Odd")
        (alert,) = store.add_alerts([wanted])
        store.record_delivery(Delivery(alert.id, 1, False, 500, "boom", T0))
        store.set_cursor("alerts", 7)
        store.add_source(Source.new("https://feeds.test/rss"))
        store.put_sentence_vectors("use.v1", {"nul\x00id": (((0, 4), (5, 9)), b"\x00\x01")})
    return db


def table_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        out = {}
        for table in TABLES:
            key = "rowid, *" if table == "minhashes" else "*"
            out[table] = sorted(conn.execute(f"SELECT {key} FROM {table}").fetchall(), key=repr)
        return out


def reads(db: str) -> dict[str, object]:
    """What users see through the CLI: stats, a search, story ids, facts."""
    code, stats, err = invoke(db, "stats", "--json")
    assert code == 0, err
    code, search, err = invoke(db, "search", "Nato", "--json")
    assert code == 0, err
    code, stories, err = invoke(db, "stories", "--json")
    assert code == 0, err
    code, entities, err = invoke(db, "entities", "--json", "--limit", "500")
    assert code == 0, err
    return {
        "stats": json.loads(stats),
        # ids in rank order; snippets only mark the match: FTS5 picks its best window, PostgresStore
        # (like MemoryStore) the first match, so their text differs by design (the contract's line)
        "search": [(h["id"], "[" in h["snippet"] and "]" in h["snippet"]) for h in json.loads(search)],
        "stories": sorted((s["id"], s["n_articles"]) for s in json.loads(stories)),
        "entities": sorted((e["id"], e["n_mentions"]) for e in json.loads(entities)),
    }


def test_round_trip_sqlite_postgres_sqlite_keeps_every_row(
    original: Path, pg_empty: str, tmp_path: Path
) -> None:
    back = tmp_path / "back.db"
    code, out, err = invoke(str(original), "migrate-store", str(original), pg_empty)
    assert code == 0, err
    assert "articles:" in err  # progress on stderr
    assert "copied" in out
    code, out, err = invoke(str(original), "migrate-store", pg_empty, str(back))
    assert code == 0, err
    before, after = table_rows(original), table_rows(back)
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    for table in TABLES:
        assert after[table] == before[table], table
    assert before["articles"] and before["stories"] and before["mentions"] and before["alerts"]
    seen = reads(str(original))
    assert seen["search"] and seen["stories"] and seen["entities"]
    assert reads(pg_empty) == seen  # --db postgresql://... reads the same as the file
    assert reads(str(back)) == seen


def test_destination_must_be_empty_unless_forced(original: Path, pg_empty: str) -> None:
    assert invoke(str(original), "migrate-store", str(original), pg_empty)[0] == 0
    code, _, err = invoke(str(original), "migrate-store", str(original), pg_empty)
    assert code != 0 and "not empty" in err
    code, _, err = invoke(str(original), "migrate-store", str(original), pg_empty, "--force")
    assert code == 0, err
    assert reads(pg_empty)["stats"] == reads(str(original))["stats"]


def test_a_missing_source_is_refused(tmp_path: Path, pg_empty: str) -> None:
    code, _, err = invoke(str(tmp_path / "x.db"), "migrate-store", str(tmp_path / "absent.db"), pg_empty)
    assert code == 2 and "no store" in err
