"""A worker of the per-article stages killed mid-run (as the OOM killer would) stops the run with
exit 3 and a clear message instead of hanging; what was committed stays, and a re-run stores every
input exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from .procs import FAST, children, count, start, state, storyline, wait_for, write_corpus

N = 4000


def test_killed_worker_stops_the_run_with_exit_3_and_a_rerun_completes(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    corpus = write_corpus(tmp_path / "big.jsonl", N)
    args = (*FAST, "--set", "workers", "2", "--set", "batch_size", "50", "ingest", str(corpus))
    proc = start(db, *args)
    try:
        wait_for(lambda: count(db) >= 100 or proc.poll() is not None, 180, "the first batches")
        busy: list[int] = []  # kill a worker while it works on a chunk (an idle one held no task)

        def found_busy() -> bool:
            busy[:] = [p for p in children(proc.pid) if state(p) == "R"]
            return bool(busy) or proc.poll() is not None

        wait_for(found_busy, 60, "a busy worker")
        assert proc.poll() is None and busy, "the run finished too soon; make the corpus larger"
        os.kill(busy[0], signal.SIGKILL)
        killed_at = time.monotonic()
        _, stderr = proc.communicate(timeout=60)  # before the fix: waits forever at 0 % CPU
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert time.monotonic() - killed_at < 60
    assert proc.returncode == 3, stderr
    message = " ".join(stderr.split())
    assert "error: a worker process died" in message and "run the same command again" in message
    assert "Traceback" not in stderr
    before = count(db)
    assert 0 < before < N
    assert before % 50 == 0  # whole batches only: the open one was not written

    rerun = subprocess.run(
        storyline(db, *args[:-2], "ingest", "--json", str(corpus)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr
    stats = json.loads(rerun.stdout)
    assert stats["unchanged"] == before and stats["stored"] == N - before
    with sqlite3.connect(db) as con:
        ids = [row[0] for row in con.execute("SELECT id FROM articles")]
        n_fts = con.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
    assert len(ids) == len(set(ids)) == N and n_fts == N
