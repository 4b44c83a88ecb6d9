"""The long-run replay: a multi-year dated stream ingested month by month, run after run, one run
killed with SIGKILL and re-run; the store never becomes unusable and the stories are exactly those
of one run over the whole stream (restore is exact)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchmarks.replay import ECBPLUS, by_month, dated_stream, ingest_run, resolve, story_map, write_jsonl

from storyline.settings import Settings
from storyline.store import SqliteStore

pytestmark = pytest.mark.skipif(
    not ECBPLUS.exists(), reason=f"needs the shared evaluation data at {ECBPLUS} (../shared beside the repo)"
)

SETTINGS = Settings(understand=False, stories=True, workers=1, batch_size=4)


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _killed_run(db: Path, path: Path, at_least: int) -> int:
    """``storyline ingest path`` in a subprocess, SIGKILLed once it has committed a batch."""
    cmd = [sys.executable, "-m", "storyline", "-q", "--db", str(db)]
    for name, value in (("understand", "false"), ("workers", "1"), ("batch_size", "1")):
        cmd += ["--set", name, value]
    proc = subprocess.Popen([*cmd, "ingest", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(db) <= at_least and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return proc.returncode


def test_a_multi_year_stream_month_by_month_equals_one_run(tmp_path: Path) -> None:
    rows = dated_stream(n_stories=14, per_story=5, gap_days=130)
    first, last = rows[0]["published"][:10], rows[-1]["published"][:10]
    assert first[:4] == "2008" and int(last[:4]) >= 2012  # years apart: every story passes the horizon
    months = list(by_month(rows))
    killed_at = max(range(len(months)), key=lambda k: len(months[k]))  # the longest run is killed

    whole = tmp_path / "whole.db"
    ingest_run(whole, write_jsonl(tmp_path / "all.jsonl", rows), SETTINGS)
    expected = story_map(whole)
    assert len(expected) == len(rows)

    db = tmp_path / "monthly.db"
    handed_out: set[str] = set()
    fed: set[str] = set()
    for k, month in enumerate(months):
        path = write_jsonl(tmp_path / f"month{k:03d}.jsonl", month)
        if k == killed_at:
            before = _count(db)
            assert _killed_run(db, path, before) == -signal.SIGKILL
            assert before < _count(db) < before + len(month), "the kill should land mid-run"
        _, rejected = ingest_run(db, path, SETTINGS)  # a re-run after the kill stores the rest
        assert rejected == 0
        fed.update(row["id"] for row in month)
        with SqliteStore(db) as store:
            ids = [a.id for a in store.iter_articles()]
            assert len(ids) == len(set(ids)) == len(fed)  # every input stored exactly once
            direct = store.story_ids_of(ids)
            assert set(direct) == set(ids)
            handed_out.update(direct.values())
            for story_id in handed_out:  # every story id ever handed out still resolves
                resolve(store, story_id)
    assert story_map(db) == expected


def test_a_store_past_the_horizon_takes_more_articles(tmp_path: Path) -> None:
    """The defect of issue 10: 60 dated articles over 2008-2013, then one more, then anything."""
    rows = []
    source = dated_stream(n_stories=8, per_story=12, gap_days=1)
    assert len(source) >= 63
    for k, row in enumerate(source[:60]):
        year, half = 2008 + k // 10, (1, 7)[(k // 5) % 2]
        rows.append({**row, "published": f"{year}-{half:02d}-{10 + k % 5:02d}T10:00:00+00:00"})
    db = tmp_path / "s.db"
    ingest_run(db, write_jsonl(tmp_path / "s.jsonl", rows), SETTINGS)
    for k in range(3):
        text = source[-1 - k]["text"]
        one = {"id": f"more{k}", "title": "One more", "text": text, "published": "2014-01-02"}
        stored, rejected = ingest_run(db, write_jsonl(tmp_path / f"one{k}.jsonl", [one]), SETTINGS)
        assert (stored, rejected) == (1, 0)
    with SqliteStore(db) as store:
        assert store.count_articles() == len(rows) + 3
