"""Helpers for the tests that run ``storyline`` as real processes next to each other (the writer
lock, worker death, backups and reads while writing): a corpus, the command line, store counts."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from .conftest import AFP_SEED

FAST = ("--set", "understand", "false", "--set", "stories", "false")


def write_corpus(path: Path, n: int, *, prefix: str = "a") -> Path:
    """``n`` JSONL articles, no two of them copies (each opens with words of its own)."""
    base = AFP_SEED.read_text(encoding="utf-8")
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            words = " ".join(f"{prefix}{i}x{k}" for k in range(60))
            fh.write(json.dumps({"id": f"{prefix}{i}", "text": f"{words}\n\n{base[: 300 + i % 200]}"}) + "\n")
    return path


def storyline(db: Path, *args: str) -> list[str]:
    """The command line of ``storyline -q --db DB ARGS...`` in this interpreter."""
    return [sys.executable, "-m", "storyline", "-q", "--db", str(db), *args]


def start(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(storyline(db, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def count(db: Path) -> int:
    """Articles committed so far (0 while the store does not exist yet)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def wait_for(predicate: object, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not callable(predicate) or not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    """The pids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def state(pid: int) -> str:
    """The process state letter from /proc (``R`` running, ``S`` sleeping...), ``?`` when gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "?"
    return stat[stat.rindex(")") + 2 :].split()[0]
