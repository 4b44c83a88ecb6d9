"""The engine seam on the inline engine: results in input order, and stored inputs skip the NLP pass
(``prepare_light``, the store asked in the driver, ``prepare_heavy`` for the new articles only) with
the same stored result as a run that prepared everything."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyline import engine, pipeline
from storyline.ingest import iter_inputs
from storyline.model import Article, RawDoc
from storyline.pipeline import Components, Prepared, prepare_chunk, run
from storyline.settings import Settings
from storyline.store import MemoryStore
from storyline.understand import Findings

from .conftest import AFP_SEED, DPA_SEED

SETTINGS = Settings(workers=1)


def _raw(i: int, text: str) -> RawDoc:
    return RawDoc(f"t.jsonl:{i}", "text", text.encode(), hints={"id": f"doc-{i}", "title": f"Title {i}"})


def _same(a: Any, b: Any) -> bool:
    """Equal to the bit, numpy arrays included (``==`` on a dataclass holding arrays is ambiguous)."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(  # ingested_at is the clock at extraction
            _same(getattr(a, f.name), getattr(b, f.name))
            for f in dataclasses.fields(a)
            if f.name != "ingested_at"
        )
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _texts(shared_data: Path, n: int) -> list[str]:
    with (shared_data / "stories" / "ecbplus_dev.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line, _ in zip(fh, range(n), strict=False)]


def test_both_paths_give_prepare_chunk_in_input_order(shared_data: Path) -> None:
    raws = [_raw(i, t) for i, t in enumerate(_texts(shared_data, 40))]
    expected = [r for k in range(0, 40, 16) for r in prepare_chunk(raws[k : k + 16], SETTINGS)]
    for settings in (SETTINGS, Settings(workers=2, batch_size=8)):
        got = list(engine.prepared(raws, settings, stages=pipeline.STAGES))
        assert [g.raw.origin for g in got if isinstance(g, Prepared)] == [r.origin for r in raws]
        # findings and vectors too, to the bit: the same values whatever process made them
        assert _same(got, expected)


def test_stored_articles_skip_the_nlp_pass_and_the_result_is_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    analysed: list[str] = []
    real = pipeline.find_facts_many

    def counting(articles: list[Article]) -> list[Findings]:
        analysed.extend(a.id for a in articles)
        return real(articles)

    monkeypatch.setattr(pipeline, "find_facts_many", counting)
    paths = [str(AFP_SEED), str(DPA_SEED)]

    def ingest(store: MemoryStore, inputs: list[str]) -> Any:
        return run(iter_inputs(inputs, SETTINGS), Components.for_store(SETTINGS, store), store)

    twice = MemoryStore()
    ingest(twice, paths[:1])
    first = list(analysed)
    assert len(first) == 1
    analysed.clear()
    stats = ingest(twice, paths)  # the AFP seed is stored: only the dpa one is analysed
    assert (stats.unchanged, stats.stored) == (1, 1)
    assert analysed and first[0] not in analysed

    once = MemoryStore()
    ingest(once, paths)
    for store in (twice, once):
        assert len(store.list_articles()) == 2
    ids = sorted(a.id for a in once.list_articles())
    assert [twice.article_facts(i) for i in ids] == [once.article_facts(i) for i in ids]
    assert twice.story_ids_of(ids) == once.story_ids_of(ids)
    assert [e.id for e in twice.list_entities(limit=1000)] == [e.id for e in once.list_entities(limit=1000)]


def test_a_repeated_id_in_one_run_is_analysed_once(
    monkeypatch: pytest.MonkeyPatch, shared_data: Path
) -> None:
    analysed: list[str] = []
    real = pipeline.find_facts_many

    def counting(articles: list[Article]) -> list[Findings]:
        analysed.extend(a.id for a in articles)
        return real(articles)

    monkeypatch.setattr(pipeline, "find_facts_many", counting)
    text = _texts(shared_data, 1)[0]
    raws = [_raw(0, text), _raw(1, text + " Later."), _raw(0, text)]  # doc-0 twice
    got = list(engine.prepared(raws, SETTINGS, stages=pipeline.STAGES, known=lambda ids: set()))
    assert len(analysed) == 2 and len(set(analysed)) == 2
    assert [isinstance(g, Prepared) and g.known for g in got] == [False, False, True]


def test_engine_ray_without_ray_installed_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    from click.testing import CliRunner

    import storyline.engine
    from storyline.cli import cli

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails as when it is not installed
    monkeypatch.delitem(sys.modules, "storyline.engine.ray", raising=False)
    monkeypatch.delattr(storyline.engine, "ray", raising=False)
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "t.db"), "--engine", "ray", "ingest", str(AFP_SEED)]
    )
    assert result.exit_code == 2, result.output
    assert "engine ray needs Ray" in result.output and "storyline[scale]" in result.output
