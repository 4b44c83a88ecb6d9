"""Stories are not glued by an outlet's boilerplate (issue 16): unrelated reports of one site that
share its name, opening and subscription line, ingested through the real pipeline, make the
stories the same reports make without any boilerplate; a restart, a SIGKILL and a rebuild decide as
one run; every store keeps the boilerplate index's rows the same way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from benchmarks.replay import ingest_run, story_map

from storyline.model import Batch, BoilerplateCount
from storyline.pipeline import rebuild_stories
from storyline.settings import Settings
from storyline.store import SqliteStore
from tests.boilerplate_outlets import EN_SITE, records, write_jsonl
from tests.conftest import STORE_KINDS, make_store

SETTINGS = Settings(understand=False, stories=True, workers=1, batch_size=4)


def partition(db: Path, rows: list[dict[str, Any]]) -> list[list[str]]:
    """The stories of ``db`` as groups of the records' ``group`` labels (stored order = input order)."""
    stories = story_map(db)
    with SqliteStore(db) as store:
        ids = [a.id for a in store.iter_articles()]
    assert len(ids) == len(rows)
    groups: dict[str, list[str]] = {}
    for article_id, row in zip(ids, rows, strict=True):
        groups.setdefault(stories[article_id], []).append(row["group"])
    return sorted(sorted(g) for g in groups.values())


def ingest(tmp_path: Path, name: str, rows: list[dict[str, Any]], settings: Settings = SETTINGS) -> Path:
    db = tmp_path / f"{name}.db"
    ingest_run(db, write_jsonl(tmp_path / f"{name}.jsonl", rows), settings)
    return db


def boilerplate_rows(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as con:
        return sorted(con.execute("SELECT outlet, key, n_articles, last_seen_us FROM boilerplate_counts"))


def test_unrelated_reports_of_one_outlet_are_not_glued_by_its_boilerplate(tmp_path: Path) -> None:
    rows = records("en")
    got = partition(ingest(tmp_path, "en", rows), rows)
    assert got == partition(ingest(tmp_path, "plain", records("en", boilerplate=False)), rows)
    # each unrelated report its own story; the two reports of the warehouse fire one story
    assert got == sorted([["fire", "fire"], *([r["group"]] for r in rows if r["group"] != "fire")])


def test_the_arabic_outlet_of_the_real_case_makes_the_stories_of_its_plain_reports(tmp_path: Path) -> None:
    rows = records("ar")
    assert "اشترك لتصلك أهم الأخبار" in rows[0]["text"] and rows[0]["title"].startswith("بوابة فيتو |")
    got = partition(ingest(tmp_path, "ar", rows), rows)
    plain = partition(ingest(tmp_path, "plain", records("ar", boilerplate=False)), rows)
    assert got == plain
    # without boilerplate the assigner keeps at most one pair of these short reports together
    assert max(len(g) for g in plain) <= 2


def test_a_restarted_run_and_a_rebuild_decide_as_one_run(tmp_path: Path) -> None:
    rows = [r for pair in zip(records("en"), records("ar"), strict=False) for r in pair]
    whole = ingest(tmp_path, "whole", rows)
    expected = partition(whole, rows)
    plain = [
        r
        for pair in zip(records("en", boilerplate=False), records("ar", boilerplate=False), strict=False)
        for r in pair
    ]
    assert expected == partition(ingest(tmp_path, "plain", plain), rows)  # the boilerplate glued nothing
    halves = tmp_path / "halves.db"
    for n, part in enumerate((rows[:5], rows[5:])):
        ingest_run(halves, write_jsonl(tmp_path / f"half{n}.jsonl", part), SETTINGS)
    assert partition(halves, rows) == expected
    assert boilerplate_rows(halves) == boilerplate_rows(whole) != []
    with SqliteStore(whole) as store:
        rebuild_stories(store, SETTINGS)
    assert partition(whole, rows) == expected
    assert boilerplate_rows(whole) == boilerplate_rows(halves)


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_a_run_killed_while_the_gate_is_ahead_of_the_commits_resumes_exactly(tmp_path: Path) -> None:
    """The gate marks a chunk of 16 while batches of 1 commit: the rows written are those of the
    committed articles only, so the re-run decides as one run would."""
    rows = records("en")
    path = write_jsonl(tmp_path / "en.jsonl", rows)
    expected = partition(ingest(tmp_path, "whole", rows), rows)
    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "storyline", "-q", "--db", str(db)]
    for name, value in (("understand", "false"), ("workers", "1"), ("batch_size", "1")):
        cmd += ["--set", name, value]
    proc = subprocess.Popen([*cmd, "ingest", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(db) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = _count(db)
    assert 3 <= stored < len(rows), f"the run was not stopped in the middle ({stored} stored)"
    with sqlite3.connect(db) as con:
        n_rows = con.execute("SELECT count(*) FROM boilerplate_counts").fetchone()[0]
    assert n_rows > 0
    ingest_run(db, path, SETTINGS)
    assert partition(db, rows) == expected


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    return make_store(request.param, request, tmp_path)


def test_every_store_keeps_the_boilerplate_rows_alike(store: Any) -> None:
    day = 86_400_000_000
    store.write_batch(
        Batch(
            boilerplate=(
                BoilerplateCount(EN_SITE, -(2**63) + 1, 3, 10 * day),
                BoilerplateCount(EN_SITE, 2**63 - 1, 1, 20 * day),
                BoilerplateCount("other.example", 7, 2, None),
            )
        )
    )
    store.write_batch(
        Batch(
            boilerplate=(
                BoilerplateCount(EN_SITE, 2**63 - 1, 0, 20 * day),
                BoilerplateCount(EN_SITE, 5, 4, 30 * day),
            )
        )
    )
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert sorted(store.iter_boilerplate(), key=lambda r: (r.outlet, r.key)) == [
        BoilerplateCount("other.example", 7, 2, None),
        BoilerplateCount(EN_SITE, -(2**63) + 1, 3, 10 * day),
        BoilerplateCount(EN_SITE, 5, 4, 30 * day),
    ]
    since = sorted(store.iter_boilerplate(epoch + timedelta(days=15)), key=lambda r: r.key)
    assert since == [BoilerplateCount(EN_SITE, 5, 4, 30 * day), BoilerplateCount("other.example", 7, 2, None)]
    store.clear_stories()
    assert list(store.iter_boilerplate()) == []


def test_turned_off_the_outlet_s_reports_glue_as_they_did_before(tmp_path: Path) -> None:
    """``boilerplate_min_articles = 0`` is the behaviour before the index: the boilerplate glues."""
    rows = records("en")
    off = partition(ingest(tmp_path, "off", rows, SETTINGS.replace(boilerplate_min_articles=0)), rows)
    assert max(len(g) for g in off) > 2
