"""The Ray engine gives the stories of the inline engine, by construction: the same pure per-article
functions on prepare actors, the ordered step in the driver. Equivalence on the seeds and on 200
articles of the shared data (several languages), a run stopped after a committed batch and resumed,
and a prepare actor killed mid-run (replaced, its chunks sent again, nothing lost).

A real local Ray cluster (2 CPUs) is started once per session; the tests skip when Ray is not
installed (``pip install 'storyline[scale]'``)."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline.batching import RunStats
from storyline.ingest import iter_inputs
from storyline.model import ArticleFacts
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store import SqliteStore, open_store

from .conftest import SHARED

INLINE = Settings(engine="inline", workers=2)
RAY = Settings(engine="ray", ray_actors=2)
FACT_KINDS = ("mentions", "quotes", "time_mentions", "figures")
OTHER_LANGUAGES = ("de", "es", "fr", "pl", "ru", "zh", "it", "tr")


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[Any]:
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'storyline[scale]')")
    from storyline.engine import ray as ray_engine

    ray.init(num_cpus=2, include_dashboard=False)
    try:
        yield ray
    finally:
        ray_engine.close_pools()
        ray.shutdown()


def corpus(path: Path, data: Path, n: int = 200) -> Path:
    """``n`` JSONL articles: ECB+ stories interleaved, a few texts in other languages from the
    SemEval-2022 pairs, and exact copies of earlier articles under other ids (duplicates)."""
    with (data / "stories" / "ecbplus_dev_shuffled.jsonl").open(encoding="utf-8") as fh:
        ecb = [json.loads(line) for line in fh if line.strip()]
    with (data / "similarity" / "semeval22_dev.jsonl").open(encoding="utf-8") as fh:
        pairs = [json.loads(line) for line in fh if line.strip()]
    others = [next(p for p in pairs[k:] if p["lang1"] == lang) for k, lang in enumerate(OTHER_LANGUAGES * 2)]
    rows = [{"id": r["id"], "title": r["title"], "text": r["text"]} for r in ecb[: n - len(others) - 4]]
    rows += [
        {"id": f"{p['pair_id']}-{i}", "text": p["text1"], "language": p["lang1"]}
        for i, p in enumerate(others)
    ]
    rows += [dict(rows[k], id=f"copy-{k}", source="copies.example") for k in (3, 50, 120, 150)]
    order = sorted(range(len(rows)), key=lambda i: (i * 7919) % len(rows))  # languages and copies mixed in
    with path.open("w", encoding="utf-8") as fh:
        for i in order:
            fh.write(json.dumps(rows[i], ensure_ascii=False) + "\n")
    return path


def at(db: Path | str, settings: Settings) -> Settings:
    """``settings`` on the store ``db``: a SQLite path, or a postgresql:// URL."""
    if str(db).startswith("postgresql://"):
        return settings.replace(store_url=str(db))
    return settings.replace(db=str(db))


def ingest(db: Path | str, inputs: list[str], settings: Settings, **hooks: Any) -> RunStats:
    settings = at(db, settings)
    store = open_store(settings)
    try:
        return run(iter_inputs(inputs, settings), Components.for_store(settings, store), store, **hooks)
    finally:
        store.close()


def snapshot(db: Path | str) -> dict[str, Any]:
    """Everything a run decides: articles and their duplicates, stories (membership, storylines,
    merges), storylines, canonical entities, and every article's facts."""
    with open_store(at(db, Settings()), readonly=True) as store:
        articles = sorted(store.iter_articles(), key=lambda a: a.id)
        ids = [a.id for a in articles]
        story_of = store.story_ids_of(ids)
        stories = {s: store.get_story(s) for s in set(story_of.values())}
        return {
            "articles": [(a.id, a.duplicate_of, a.language, a.title, a.text) for a in articles],
            "story_of": story_of,
            "stories": stories,
            "live": store.list_stories(limit=100_000),
            "storylines": store.list_storylines(limit=100_000),
            "entities": sorted(store.list_entities(limit=1_000_000), key=lambda e: e.id),
            "facts": {i: store.article_facts(i) for i in ids},
        }


def assert_same(ray_run: dict[str, Any], inline_run: dict[str, Any]) -> None:
    for key in inline_run:  # one key at a time: a failure names what differs
        assert ray_run[key] == inline_run[key], key


def without_entity_types(snap: dict[str, Any]) -> dict[str, Any]:
    """``snap`` with each entity's type blanked.

    A restored entity resolver gets each entity's type votes back as one vote per mention for the
    stored type (``EntityResolver.restore``), so an entity whose mentions were split between two
    types can tip the other way after a restart, with either engine (an inline run stopped and
    resumed shows the same); ids, names, aliases, mention counts and every fact still match."""
    return {**snap, "entities": [dataclasses.replace(e, type="") for e in snap["entities"]]}


@pytest.fixture(scope="module")
def inline_200(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"needs the shared evaluation data at {data}")
    tmp = tmp_path_factory.mktemp("inline200")
    path = corpus(tmp / "mix.jsonl", data)
    stats = ingest(tmp / "inline.db", [str(path)], INLINE)
    assert stats.read == 200 and stats.stored == 200 and stats.rejected == 0
    return path, snapshot(tmp / "inline.db")


def seeds() -> list[str]:
    found = sorted((SHARED / "seeds").glob("*.txt"))
    if not found:
        pytest.skip(f"needs the seeds at {SHARED / 'seeds'}")
    return [str(p) for p in found]


def test_ray_ingest_of_the_seeds_equals_inline(ray_cluster: Any, tmp_path: Path) -> None:
    inputs = seeds()
    ingest(tmp_path / "inline.db", inputs, INLINE)
    stats = ingest(tmp_path / "ray.db", inputs, RAY)
    assert stats.stored == len(inputs) == 2
    inline_run, ray_run = snapshot(tmp_path / "inline.db"), snapshot(tmp_path / "ray.db")
    assert sum(len(f.quotes) for f in ray_run["facts"].values()) > 10  # understanding ran on the actors
    assert len(set(ray_run["story_of"].values())) == 1  # the two seeds tell one story
    assert_same(ray_run, inline_run)


def test_ray_ingest_of_200_articles_equals_inline(
    ray_cluster: Any, inline_200: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, inline_run = inline_200
    stats = ingest(tmp_path / "ray.db", [str(path)], RAY)
    assert (stats.read, stats.stored, stats.duplicates) == (200, 200, inline_run_duplicates(inline_run))
    ray_run = snapshot(tmp_path / "ray.db")
    languages = {a[2] for a in ray_run["articles"]}
    assert {"en", "de", "zh", "ru"} <= languages
    assert 20 < len(ray_run["stories"]) < 200 and ray_run["entities"]
    assert_same(ray_run, inline_run)


def inline_run_duplicates(snap: dict[str, Any]) -> int:
    n = sum(1 for a in snap["articles"] if a[1] is not None)
    assert n >= 4  # the copies at least
    return n


class _Stop(Exception):
    pass


def test_a_ray_run_stopped_after_a_batch_and_resumed_equals_one_run(
    ray_cluster: Any,
    inline_200: tuple[Path, dict[str, Any]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path, _ = inline_200
    rows = path.read_text(encoding="utf-8").splitlines()[:96]
    part = tmp_path / "part.jsonl"
    part.write_text("\n".join(rows) + "\n", encoding="utf-8")
    settings = RAY.replace(batch_size=16)
    ingest(tmp_path / "whole.db", [str(part)], settings)

    def stop_after_two_batches(stats: RunStats) -> None:
        if stats.stored >= 32:
            raise _Stop  # as a crash would: the third batch is open, never written

    with pytest.raises(_Stop):
        ingest(tmp_path / "resumed.db", [str(part)], settings, on_progress=stop_after_two_batches)
    with SqliteStore(tmp_path / "resumed.db") as store:
        committed = store.count_articles()
    assert committed == 32
    with caplog.at_level(logging.INFO, logger="storyline.engine.ordered"):
        stats = ingest(tmp_path / "resumed.db", [str(part)], settings)
    assert (stats.unchanged, stats.stored) == (32, 64)
    assert "engine: 32 known articles skipped the NLP pass" in caplog.text  # stored inputs: no NLP work
    assert_same(
        without_entity_types(snapshot(tmp_path / "resumed.db")),
        without_entity_types(snapshot(tmp_path / "whole.db")),
    )


def test_a_killed_prepare_actor_is_replaced_and_nothing_is_lost(
    ray_cluster: Any, inline_200: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    from storyline.engine import ray as ray_engine

    path, _ = inline_200
    rows = path.read_text(encoding="utf-8").splitlines()[:96]
    part = tmp_path / "part.jsonl"
    part.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ingest(tmp_path / "inline.db", [str(part)], INLINE)
    settings = RAY.replace(batch_size=16)
    ray_engine.close_pools()
    pool = ray_engine.pool_for(settings)
    killed: list[int] = []
    at: list[int] = []

    def kill_a_busy_actor(stats: RunStats) -> None:
        if not killed:
            slot = max(range(len(pool.actors)), key=pool.busy)
            if pool.busy(slot) > 0:  # it holds chunks not yet done
                ray_cluster.kill(pool.actors[slot], no_restart=True)
                killed.append(slot)
                at.append(stats.read)

    stats = ingest(tmp_path / "ray.db", [str(part)], settings, on_progress=kill_a_busy_actor)
    assert killed and at[0] < 80 and stats.read == stats.stored == 96  # killed with work left
    assert pool.generation[killed[0]] >= 1  # a new actor took its place
    assert ray_cluster.get(pool.actors[killed[0]].pid.remote()) > 0  # and it answers
    assert_same(snapshot(tmp_path / "ray.db"), snapshot(tmp_path / "inline.db"))


def test_ray_with_postgresql_equals_inline_with_sqlite(
    ray_cluster: Any, inline_200: tuple[Path, dict[str, Any]], pg_url: str
) -> None:
    path, inline_run = inline_200
    stats = ingest(pg_url, [str(path)], RAY)
    assert stats.stored == 200
    assert_same(facts_in_offset_order(snapshot(pg_url)), facts_in_offset_order(inline_run))


def facts_in_offset_order(snap: dict[str, Any]) -> dict[str, Any]:
    """``snap`` with each article's facts sorted by (start, end): both stores read facts ``ORDER BY
    start``, which leaves two mentions at one offset ("Houston", "Houston quarterback") in whatever
    order the database returns them; the sets of facts are what must match."""

    def ordered(facts: ArticleFacts) -> ArticleFacts:
        return ArticleFacts(
            *(tuple(sorted(getattr(facts, f), key=lambda x: (x.start, x.end, repr(x)))) for f in FACT_KINDS)
        )

    return {**snap, "facts": {i: ordered(f) for i, f in snap["facts"].items()}}


def test_the_engine_option_runs_ingest_on_ray(ray_cluster: Any, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from storyline.cli import cli
    from storyline.engine import ray as ray_engine

    inputs = seeds()
    ray_engine.close_pools()
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(cli, ["-q", "--db", db, "--engine", "ray", "ingest", "--json", *inputs])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stored"] == 2
    assert ray_engine._POOLS  # the articles were prepared by actors of this process's cluster
    ingest(tmp_path / "inline.db", inputs, INLINE)
    assert_same(snapshot(db), snapshot(tmp_path / "inline.db"))
