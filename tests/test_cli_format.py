"""``--format table|json|ndjson|csv|tsv`` on the CLI listings: the web's encoder (``shapes.encode_rows``)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.cli._common import emit_rows

from .conftest import AFP_SEED, DPA_SEED

FED = '=HYPERLINK("http://x"), "quoted"\ntitle'
EVIL = '=HYPERLINK("http://x"), "quoted" title'  # ingest folds a title's newline to a space
LISTINGS = [("articles",), ("stories",), ("entities",), ("quotes", "--all"), ("search", "Taliban")]


def invoke(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-q", "--db", str(db), *args])
    return result.exit_code, result.stdout


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("format")
    feed = tmp_path / "news.jsonl"
    evil = json.dumps({"text": AFP_SEED.read_text(encoding="utf-8"), "title": FED})
    feed.write_text(evil + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    code, out = invoke(db, "ingest", str(feed), str(DPA_SEED), "--json")
    assert code == 0 and json.loads(out)["stored"] == 2, out
    return db


def _json(db: Path, *args: str) -> list[dict[str, object]]:
    code, out = invoke(db, *args, "--json")
    assert code == 0, out
    rows = json.loads(out)
    assert isinstance(rows, list)
    return rows


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda a: a[0])
def test_csv_and_tsv_have_the_json_ids_and_keys(seeded: Path, listing: tuple[str, ...]) -> None:
    rows = _json(seeded, *listing)
    assert rows, listing
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        code, out = invoke(seeded, *listing, "--format", fmt)
        assert code == 0, out
        quoting = csv.QUOTE_MINIMAL if fmt == "csv" else csv.QUOTE_NONE
        parsed = list(csv.DictReader(io.StringIO(out, newline=""), delimiter=delimiter, quoting=quoting))
        assert len(parsed) == len(rows)
        assert list(parsed[0]) == list(rows[0])
        key = "id" if "id" in rows[0] else "quote"
        if key == "id":
            assert [r["id"] for r in parsed] == [r["id"] for r in rows]


@pytest.mark.parametrize("listing", [*LISTINGS, ("rejections",), ("alerts",), ("storylines",)], ids=str)
def test_ndjson_is_the_json_array_one_object_a_line(seeded: Path, listing: tuple[str, ...]) -> None:
    rows = _json(seeded, *listing)
    code, out = invoke(seeded, *listing, "--format", "ndjson")
    assert code == 0
    assert [json.loads(line) for line in out.splitlines()] == rows
    assert out.count("\n") == len(rows)


def test_json_format_is_the_json_flag(seeded: Path) -> None:
    assert invoke(seeded, "articles", "--format", "json") == invoke(seeded, "articles", "--json")
    assert invoke(seeded, "articles", "--json", "--format", "json") == invoke(seeded, "articles", "--json")


def test_json_with_another_format_is_a_usage_error(seeded: Path) -> None:
    result = CliRunner().invoke(cli, ["-q", "--db", str(seeded), "articles", "--json", "--format", "csv"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "--json" in result.stderr


def test_table_is_the_default_and_unknown_formats_are_refused(seeded: Path) -> None:
    assert invoke(seeded, "articles") == invoke(seeded, "articles", "--format", "table")
    assert invoke(seeded, "articles", "--format", "xml")[0] == 2


def test_hostile_title_round_trips_in_csv_with_the_formula_guard(seeded: Path) -> None:
    rows = _json(seeded, "articles")
    evil = next(r for r in rows if r["title"] == EVIL)
    code, out = invoke(seeded, "articles", "--format", "csv")
    assert code == 0
    parsed = {r["id"]: r for r in csv.DictReader(io.StringIO(out, newline=""))}
    assert parsed[str(evil["id"])]["title"] == "'" + EVIL  # the cell a spreadsheet would run is defused
    assert len(parsed) == len(rows)


def test_newlines_commas_and_quotes_round_trip_through_emit_rows(capsys: pytest.CaptureFixture[str]) -> None:
    row = {"id": "a1", "title": '-1+1, "x"\nnext', "n": -3, "tags": ["a", "=b"]}
    emit_rows([row], "csv")
    parsed = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert parsed == [{"id": "a1", "title": "'" + row["title"], "n": "-3", "tags": "a; '=b"}]


def test_hostile_title_stays_on_one_tsv_line(seeded: Path) -> None:
    code, out = invoke(seeded, "articles", "--format", "tsv")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3 and all(line.count("\t") == lines[0].count("\t") for line in lines)
    header = lines[0].split("\t")
    titles = {line.split("\t")[header.index("title")] for line in lines[1:]}
    assert "'" + EVIL in titles


def test_empty_listing_prints_nothing(seeded: Path) -> None:
    db = seeded
    assert invoke(db, "rejections", "--format", "csv") == (0, "")
    assert invoke(db, "rejections", "--format", "ndjson") == (0, "")
