"""Ingest throughput: read + extract + language + dedup + store, and how it holds as the store grows."""

from __future__ import annotations

import itertools
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import synthetic_articles, write_jsonl
from storyline.ingest import iter_inputs
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store.sqlite import SqliteStore


def _ingest(path: Path, settings: Settings, store: SqliteStore) -> tuple[int, float]:
    start = time.perf_counter()
    stats = run(iter_inputs([str(path)], settings), Components.for_store(settings, store), store)
    return stats.stored, time.perf_counter() - start


def bench_ingest(*, n_throughput: int = 5000, n_large: int = 50_000, probe: int = 1000) -> dict[str, float]:
    """``ingest_articles_per_second`` on ``n_throughput`` articles into an empty store, and
    ``ingest_slowdown_50k_vs_1k``: seconds per article of the same ``probe`` articles ingested into a
    store holding 1k articles and one holding ``n_large``."""
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "corpus.jsonl"
        write_jsonl(corpus, synthetic_articles(n_throughput))
        settings = Settings(db=str(root / "t.db"))
        with SqliteStore(settings.db) as store:
            stored, seconds = _ingest(corpus, settings, store)
        results["ingest_articles"] = stored
        results["ingest_articles_per_second"] = round(stored / seconds, 1)

        probe_file = root / "probe.jsonl"
        write_jsonl(probe_file, itertools.islice(synthetic_articles(n_large + probe), n_large, None))
        per_article = {}
        for size in (1000, n_large):
            fill = root / f"fill{size}.jsonl"
            write_jsonl(fill, synthetic_articles(size))
            with SqliteStore(root / f"s{size}.db") as store:
                _ingest(fill, settings, store)
                stored, seconds = _ingest(probe_file, settings, store)
            per_article[size] = seconds / max(1, stored)
        results["ingest_large_store_articles"] = n_large
        results["ingest_ms_per_article_small_store"] = round(per_article[1000] * 1000, 3)
        results["ingest_ms_per_article_large_store"] = round(per_article[n_large] * 1000, 3)
        results["ingest_slowdown_50k_vs_1k"] = round(per_article[n_large] / per_article[1000], 3)
    return results
