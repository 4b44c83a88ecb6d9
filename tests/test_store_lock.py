"""One writer per store: a second ``storyline ingest`` on a store being written exits 2 naming the
first (or, with ``lock_timeout_s``, waits and then runs), and the stories it leaves are those of the
two runs one after the other."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.store.lock import StoreLocked, WriterLock, lock_path, open_writer

from .conftest import AFP_SEED, DPA_SEED
from .procs import FAST, count, start, storyline, wait_for, write_corpus

HOLD = """
import sys, time
from storyline.store.lock import open_writer
w = open_writer(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
w.close()
"""


def test_second_ingest_exits_2_naming_the_running_one(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    corpus = write_corpus(tmp_path / "big.jsonl", 3000)
    first = start(db, *FAST, "--set", "batch_size", "50", "--set", "workers", "1", "ingest", str(corpus))
    try:
        wait_for(lambda: count(db) >= 50 or first.poll() is not None, 120, "the first run's first batch")
        assert first.poll() is None, "the first run finished too soon; make the corpus larger"
        second = subprocess.run(
            storyline(db, *FAST, "ingest", str(AFP_SEED)), capture_output=True, text=True, timeout=120
        )
        assert first.poll() is None, "the first run must still hold the lock"
        assert second.returncode == 2, second.stderr
        assert f"being written by process {first.pid}" in " ".join(second.stderr.split())
        assert second.stdout == ""
    finally:
        first.wait(timeout=300)
    assert first.returncode == 0, first.stderr
    assert count(db) == 3000  # the refused run wrote nothing, the first one everything
    with sqlite3.connect(db) as con:
        assert (
            con.execute(
                "SELECT count(*) FROM articles WHERE origin LIKE ?", (f"%{AFP_SEED.name}",)
            ).fetchone()[0]
            == 0
        )


def test_second_writer_waits_with_lock_timeout_then_runs(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert WriterLock(db).holder() == holder.pid
        began = time.monotonic()
        refused = subprocess.run(
            storyline(db, *FAST, "--set", "lock_timeout_s", "0.5", "ingest", str(AFP_SEED)),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert refused.returncode == 2 and f"process {holder.pid}" in refused.stderr
        assert "waited 0.5 s" in " ".join(refused.stderr.split())
        waited = subprocess.run(
            storyline(db, *FAST, "--set", "lock_timeout_s", "60", "ingest", "--json", str(AFP_SEED)),
            capture_output=True,
            text=True,
            timeout=120,
        )
        elapsed = time.monotonic() - began
    finally:
        holder.wait(timeout=60)
    assert waited.returncode == 0, waited.stderr
    assert '"stored": 1' in waited.stdout
    assert elapsed >= 2.5  # it waited for the holder to let go
    assert count(db) == 1


def test_lock_is_released_on_close_and_on_death(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with open_writer(db) as writer:
        assert writer.lock.held and lock_path(db).read_text().strip().isdigit()
        with pytest.raises(StoreLocked, match="only one writer"):
            open_writer(db)  # a second writer in the same process is refused too
    open_writer(db).close()  # free again after close
    killed = subprocess.Popen([sys.executable, "-c", HOLD, str(db), "600"], stdout=subprocess.PIPE, text=True)
    assert killed.stdout is not None and killed.stdout.readline().strip() == "held"
    killed.kill()
    killed.wait()
    open_writer(db).close()  # the kernel dropped the dead holder's lock: no stale lock file


def _story_rows(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as con:
        return sorted(con.execute("SELECT article_id, story_id FROM story_articles").fetchall())


def test_concurrent_ingests_leave_the_stories_of_sequential_runs(tmp_path: Path) -> None:
    """Stories on: run A holds the lock, run B is refused and re-run after A; the stories equal those
    of A then B into a fresh store (two writers at once would each restore, then overwrite)."""
    a_inputs = [str(DPA_SEED), str(write_corpus(tmp_path / "a.jsonl", 60, prefix="a"))]
    b_inputs = [str(AFP_SEED), str(write_corpus(tmp_path / "b.jsonl", 5, prefix="b"))]
    db = tmp_path / "t.db"
    opts = ("--set", "understand", "false", "--set", "batch_size", "4", "--set", "workers", "1")
    first = start(db, *opts, "ingest", *a_inputs)
    try:
        wait_for(lambda: count(db) >= 4 or first.poll() is not None, 180, "run A's first batch")
        assert first.poll() is None, "run A finished too soon"
        refused = subprocess.run(storyline(db, *opts, "ingest", *b_inputs), capture_output=True, text=True)
        assert refused.returncode == 2, refused.stderr
    finally:
        first.wait(timeout=300)
    assert first.returncode == 0, first.stderr
    assert subprocess.run(storyline(db, *opts, "ingest", *b_inputs), capture_output=True).returncode == 0

    fresh = tmp_path / "fresh.db"
    for inputs in (a_inputs, b_inputs):
        assert subprocess.run(storyline(fresh, *opts, "ingest", *inputs), capture_output=True).returncode == 0
    assert _story_rows(db) == _story_rows(fresh)
    assert len(_story_rows(db)) == count(db) == 67
