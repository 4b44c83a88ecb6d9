"""The `storyline` command: what a user sees, exit codes, JSON shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli

from .conftest import AFP_SEED, DPA_SEED

ARTICLE_KEYS = {
    "id", "title", "url", "source", "agency", "place", "language", "published_at",
    "published_precision", "duplicate_of", "story_id", "origin",
}  # fmt: skip


def invoke(db: Path, *args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-q", "--db", str(db), *args], input=input)
    return result.exit_code, result.stdout


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    db = tmp_path / "t.db"
    code, out = invoke(db, "ingest", str(AFP_SEED), str(DPA_SEED), "--json")
    assert code == 0, out
    assert json.loads(out) | {"reasons": {}} == {
        "read": 2, "stored": 2, "duplicates": 0, "unchanged": 0, "rejected": 0, "reasons": {},
    }  # fmt: skip
    return db


def test_seeds_listed_with_agency_place_date_and_language(seeded: Path) -> None:
    code, out = invoke(seeded, "articles", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 2 and all(set(r) == ARTICLE_KEYS for r in rows)
    by_agency = {r["agency"]: r for r in rows}
    assert by_agency["AFP"]["published_at"].startswith("2021-02-17")
    assert by_agency["dpa"]["published_at"] is None
    assert {r["place"] for r in rows} == {"Brussels"} and {r["language"] for r in rows} == {"en"}


def test_rerun_is_idempotent(seeded: Path) -> None:
    code, out = invoke(seeded, "ingest", str(AFP_SEED), str(DPA_SEED), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 2 and json.loads(out)["stored"] == 0


def test_show_search_stats(seeded: Path) -> None:
    rows = json.loads(invoke(seeded, "articles", "--json", "--agency", "AFP")[1])
    assert len(rows) == 1
    code, out = invoke(seeded, "show", rows[0]["id"], "--json")
    shown = json.loads(out)
    assert code == 0 and "Stoltenberg" in shown["text"] and shown["duplicates"] == []
    hits = json.loads(invoke(seeded, "search", "Taliban", "--json")[1])
    assert {h["agency"] for h in hits} == {"AFP", "dpa"} and all("[" in h["snippet"] for h in hits)
    assert (
        json.loads(invoke(seeded, "search", "Taliban", "--json", "--agency", "dpa")[1])[0]["agency"] == "dpa"
    )
    stats = json.loads(invoke(seeded, "stats", "--json")[1])
    assert stats["n_articles"] == 2 and stats["n_rejections"] == 0


def test_filters_limit_and_offset(seeded: Path) -> None:
    assert len(json.loads(invoke(seeded, "articles", "--json", "--limit", "1")[1])) == 1
    assert len(json.loads(invoke(seeded, "articles", "--json", "--since", "2021-02-01")[1])) == 1
    assert json.loads(invoke(seeded, "articles", "--json", "--language", "de")[1]) == []


def test_bad_lines_are_rejected_with_file_and_line_and_exit_1(tmp_path: Path) -> None:
    feed = tmp_path / "news.jsonl"
    good = json.dumps({"text": AFP_SEED.read_text(encoding="utf-8"), "title": "Nato meets"})
    feed.write_text(good + "\n{not json\n" + json.dumps(["a list"]) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    code, out = invoke(db, "ingest", str(feed))
    assert code == 1 and out.startswith("read 3 · stored 1") and "rejected 2" in out
    rejections = json.loads(invoke(db, "rejections", "--json")[1])
    assert sorted(r["origin"] for r in rejections) == [f"{feed}:2", f"{feed}:3"]
    assert all(set(r) == {"origin", "stage", "reason", "detail", "at"} for r in rejections)


def test_missing_path_is_a_rejection_not_a_crash(tmp_path: Path) -> None:
    code, out = invoke(tmp_path / "t.db", "ingest", str(tmp_path / "absent.txt"), "--json")
    assert code == 1 and json.loads(out)["reasons"] == {"not_found": 1}


def test_stdin(tmp_path: Path) -> None:
    code, out = invoke(tmp_path / "t.db", "ingest", "-", "--json", input=DPA_SEED.read_text(encoding="utf-8"))
    assert code == 0 and json.loads(out)["stored"] == 1


def test_usage_and_config_errors_exit_2(tmp_path: Path) -> None:
    assert invoke(tmp_path / "t.db", "--set", "batch_size", "lots", "stats")[0] == 2
    assert invoke(tmp_path / "t.db", "articles", "--limit", "0")[0] == 2
    assert invoke(tmp_path / "t.db", "nonsense")[0] == 2


def test_unknown_article_is_an_error(seeded: Path) -> None:
    assert invoke(seeded, "show", "nope")[0] == 1
