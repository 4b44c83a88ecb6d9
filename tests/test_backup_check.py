"""``storyline backup`` while another process writes gives a store that passes ``storyline check``
and holds the batches committed so far; ``check`` finds an orphan row and a corrupted FTS row."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli

from .conftest import AFP_SEED, DPA_SEED
from .procs import FAST, count, start, wait_for, write_corpus


def _invoke(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-q", "--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def _check(db: Path) -> tuple[int, dict[str, object]]:
    code, out, err = _invoke(db, "check", "--json")
    assert out, err
    report: dict[str, object] = json.loads(out)
    return code, report


def test_backup_while_writing_is_consistent_and_holds_what_was_committed(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    corpus = write_corpus(tmp_path / "big.jsonl", 3000)
    writer = start(db, *FAST, "--set", "batch_size", "50", "--set", "workers", "1", "ingest", str(corpus))
    try:
        wait_for(lambda: count(db) >= 100 or writer.poll() is not None, 120, "the writer's first batches")
        before = count(db)
        code, out, err = _invoke(db, "backup", str(tmp_path / "copy.db"))
        after = count(db)
        assert writer.poll() is None, "the writer finished before the backup; make the corpus larger"
    finally:
        writer.wait(timeout=300)
    assert code == 0, err
    assert "backed up" in out
    copy = tmp_path / "copy.db"
    n = count(copy)
    assert before <= n <= after and n % 50 == 0  # whole batches, as committed when it started
    assert not list(tmp_path.glob(".copy.db.partial*"))
    code, report = _check(copy)
    assert code == 0 and report["ok"] is True and report["findings"] == []
    assert report["n_articles"] == report["n_fts_rows"] == n
    with sqlite3.connect(copy) as con:  # readable on its own, full text included
        assert (
            con.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'NATO'").fetchone()[0]
            == n
        )
    assert writer.returncode == 0
    assert _check(db) == (0, {**_check(db)[1], "ok": True})


def test_backup_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert _invoke(db, *FAST, "ingest", str(AFP_SEED))[0] == 0
    target = tmp_path / "copy.db"
    target.write_bytes(b"precious")
    code, _, err = _invoke(db, "backup", str(target))
    assert code == 2 and "--force" in err
    assert target.read_bytes() == b"precious"
    assert _invoke(db, "backup", "--force", str(target))[0] == 0
    assert count(target) == 1


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    db = tmp_path / "t.db"
    code, _, err = _invoke(db, "--set", "stories", "false", "ingest", str(AFP_SEED), str(DPA_SEED))
    assert code == 0, err
    assert _check(db)[0] == 0
    return db


def test_check_finds_an_orphan_row(seeded: Path) -> None:
    with sqlite3.connect(seeded) as con:
        con.execute(
            "INSERT INTO mentions (article_id, start, end, text, type)"
            " VALUES ('ghost-article', 0, 4, 'NATO', 'ORG')"
        )
    code, report = _check(seeded)
    assert code == 1 and report["ok"] is False
    findings = report["findings"]
    assert isinstance(findings, list) and len(findings) == 1
    assert findings[0]["check"] == "orphans" and "mentions: 1 rows" in findings[0]["detail"]
    assert "ghost-article" in findings[0]["detail"]
    code, out, err = _invoke(seeded, "check")  # the text report says the same
    assert code == 1 and "problem: orphans: mentions" in out and "problems" in err


def test_check_finds_a_corrupted_fts_row(seeded: Path) -> None:
    with sqlite3.connect(seeded) as con:  # drop one article's entry from the full-text index
        seq, title, text = con.execute("SELECT seq, title, text FROM articles LIMIT 1").fetchone()
        con.execute(
            "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
            (seq, title, text),
        )
    code, report = _check(seeded)
    assert code == 1
    checks = {f["check"] for f in report["findings"]}  # type: ignore[union-attr]
    assert checks == {"fts_integrity", "fts_row_count"}
    assert report["n_articles"] == 2 and report["n_fts_rows"] == 1
