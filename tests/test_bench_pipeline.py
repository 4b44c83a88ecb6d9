"""The ``pipeline`` benchmark's corpus (``benchmarks/pipeline_corpus.py``): deterministic, the size
asked, the language mix and copies it promises, rows ``storyline ingest`` reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.pipeline_corpus import describe, pipeline_articles, shared_data, write_rows


@pytest.fixture(scope="module")
def needs_shared_data() -> None:
    if not (shared_data() / "similarity").is_dir():
        pytest.skip(f"needs the shared evaluation data at {shared_data()} (../shared beside the repo)")


@pytest.mark.usefixtures("needs_shared_data")
def test_corpus_is_deterministic_and_mixed(tmp_path: Path) -> None:
    articles = list(pipeline_articles(400))
    again = list(pipeline_articles(400))
    assert [a.row for a in articles] == [a.row for a in again]
    assert len({a.row["id"] for a in articles}) == 400
    # the same article for the same index, wherever a slice starts
    assert [a.row for a in pipeline_articles(5, start=395)] == [a.row for a in articles[395:]]

    summary = describe(articles)
    assert summary["n"] == 400
    assert set(summary) >= {"n", "languages", "mean_words", "kinds"}
    languages = summary["languages"]
    assert isinstance(languages, dict)
    assert 0.55 <= languages["en"] <= 0.61
    assert len(languages) >= 10
    assert isinstance(summary["mean_words"], float) and summary["mean_words"] > 150
    kinds = summary["kinds"]
    assert isinstance(kinds, dict)
    assert kinds["real"] > 300 and kinds["exact-copy"] == 8 and kinds["near-copy"] == 8

    texts = [a.row["text"] for a in articles]
    copies = [a for a in articles if a.kind == "exact-copy"]
    assert all(texts.count(a.row["text"]) >= 2 for a in copies)

    path = tmp_path / "c.jsonl"
    assert write_rows(path, articles[:10]) == 10
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows[0].keys() == {"id", "text", "source", "published"}  # no language hint: detected


@pytest.mark.usefixtures("needs_shared_data")
def test_stream_goes_on_with_rewrites() -> None:
    late = list(pipeline_articles(60, start=20_000, per_day=1000))
    assert {a.kind for a in late} <= {"rewrite", "exact-copy", "near-copy"}
    assert late[0].row["published"] == "2021-03-21T06:00:00Z"  # 20 days at 1,000 a day
