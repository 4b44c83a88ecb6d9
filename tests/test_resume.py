"""Crash safety: a run killed with SIGKILL mid-way, then resumed, stores every input exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from .conftest import AFP_SEED
from .procs import children, wait_for

N_GOOD = 1500


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _ids(db: Path) -> set[str]:
    with sqlite3.connect(db) as con:
        return {row[0] for row in con.execute("SELECT id FROM articles")}


def test_sigkill_then_resume_stores_everything_exactly_once(tmp_path: Path) -> None:
    base = AFP_SEED.read_text(encoding="utf-8")
    corpus = tmp_path / "stream.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(N_GOOD):
            words = " ".join(f"w{i}x{k}" for k in range(60))  # unique text: no two are copies
            fh.write(json.dumps({"id": f"a{i}", "text": f"{words}\n\n{base[: 300 + i % 200]}"}) + "\n")
            if i % 500 == 7:
                fh.write("{broken\n")
    db = tmp_path / "t.db"
    cmd = [
        sys.executable,
        "-m",
        "storyline",
        "-q",
        "--db",
        str(db),
        "--set",
        "batch_size",
        "50",
        "ingest",
        str(corpus),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(db) < 100 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed; make the corpus larger"
    workers = children(proc.pid)
    assert workers, "the ingest should run a worker pool"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # its pool workers die with it (they would otherwise wait on their queue forever)
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), 10, "workers to exit")
    before = _ids(db)
    assert 0 < len(before) < N_GOOD

    resumed = subprocess.run(
        [*cmd[:-2], "ingest", "--json", str(corpus)], capture_output=True, text=True, timeout=300
    )
    stats = json.loads(resumed.stdout)
    assert resumed.returncode == 1  # the broken lines are rejected again
    assert stats["unchanged"] == len(before) and stats["stored"] == N_GOOD - len(before)
    after = _ids(db)
    assert before <= after and len(after) == N_GOOD
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM rejections").fetchone()[0] == 3
        # facts commit with their article: every article has its dates, and each entity's mention
        # count (kept by the resolver, restored from the store on resume) matches its stored mentions
        undated = con.execute(
            "SELECT count(*) FROM articles AS a WHERE NOT EXISTS"
            " (SELECT 1 FROM time_mentions AS t WHERE t.article_id = a.id)"
        ).fetchone()[0]
        assert undated == 0
        counts = con.execute(
            "SELECT e.n_mentions, (SELECT count(*) FROM mentions AS m WHERE m.entity_id = e.id)"
            " FROM entities AS e"
        ).fetchall()
        assert counts and all(kept == stored for kept, stored in counts)
        assert max(kept for kept, _ in counts) >= N_GOOD  # NATO, named in every article
