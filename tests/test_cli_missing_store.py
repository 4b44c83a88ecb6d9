"""Commands that read refuse a store that does not exist (exit 2, a clear message) and create
nothing; commands that write still create it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli

from .conftest import AFP_SEED

READS = [
    ("stories",),
    ("story", "s1"),
    ("storylines",),
    ("storyline", "l1"),
    ("articles",),
    ("articles", "--json"),
    ("search", "Taliban"),
    ("show", "abc"),
    ("rejections",),
    ("stats",),
    ("entities",),
    ("entity", "NATO"),
    ("quotes",),
    ("digest", "s1"),
    ("alerts",),
    ("watch", "list"),
    ("check",),
    ("backup", "copy.db"),
    ("serve", "--port", "1"),
]


def _invoke(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-q", "--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a))
def test_read_on_missing_store_exits_2_and_creates_nothing(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "missing.db"
    code, out, err = _invoke(db, *args)
    assert code == 2, (out, err)
    assert f"no store at {db}" in " ".join(err.split())
    assert "run `storyline ingest` first or pass --db" in " ".join(err.split())
    assert out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no db, -wal, -shm or .lock


def test_writing_commands_create_the_store(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    code, _, err = _invoke(
        db, "--set", "understand", "false", "--set", "stories", "false", "ingest", str(AFP_SEED)
    )
    assert code == 0, err
    assert db.is_file()
    assert _invoke(db, "stats")[0] == 0
    other = tmp_path / "watch.db"
    code, _, err = _invoke(other, "watch", "add", "nato", "--keyword", "NATO")
    assert code == 0, err
    assert other.is_file()
    code, out, _ = _invoke(other, "watch", "list", "--json")
    assert code == 0 and '"nato"' in out
