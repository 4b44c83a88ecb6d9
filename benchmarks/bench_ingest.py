"""Ingest throughput: read + extract + language + dedup + store, and how it holds as the store grows."""

from __future__ import annotations

import itertools
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import synthetic_articles, write_jsonl
from storyline.ingest import iter_inputs
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store.sqlite import SqliteStore


def _ingest(path: Path, db: Path) -> tuple[int, float]:
    """Articles stored and seconds taken by one `storyline ingest`-equivalent run (startup included)."""
    settings = Settings(db=str(db), understand=False, stories=False)  # bench_understand.py, bench_assign.py
    start = time.perf_counter()
    with SqliteStore(db) as store:
        stats = run(iter_inputs([str(path)], settings), Components.for_store(settings, store), store)
    return stats.stored, time.perf_counter() - start


def _copy_db(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
        if Path(f"{src}{suffix}").exists():
            shutil.copy(f"{src}{suffix}", f"{dst}{suffix}")


def bench_ingest(
    *, n_throughput: int = 5000, n_large: int = 50_000, probe: int = 1000, repeats: int = 3
) -> dict[str, float]:
    """``ingest_articles_per_second``: ``n_throughput`` articles into an empty store.
    ``ingest_slowdown_50k_vs_1k``: seconds per article to ingest the same ``probe`` new articles into
    a store holding 1k articles and into one holding ``n_large``, each run from start-up (loading
    the dedup index included); runs alternate between the two stores and the median is kept, so
    load from other processes on the machine hits both sides alike."""
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "corpus.jsonl"
        write_jsonl(corpus, synthetic_articles(n_throughput))
        stored, seconds = _ingest(corpus, root / "throughput.db")
        results["ingest_articles"] = stored
        results["ingest_articles_per_second"] = round(stored / seconds, 1)

        probe_file = root / "probe.jsonl"
        write_jsonl(probe_file, itertools.islice(synthetic_articles(n_large + probe), n_large, None))
        sizes = (1000, n_large)
        for size in sizes:
            fill = root / f"fill{size}.jsonl"
            write_jsonl(fill, synthetic_articles(size))
            _ingest(fill, root / f"base{size}.db")
            fill.unlink()
        timings: dict[int, list[float]] = {size: [] for size in sizes}
        for _ in range(repeats):
            for size in sizes:
                _copy_db(root / f"base{size}.db", root / "work.db")
                stored, seconds = _ingest(probe_file, root / "work.db")
                timings[size].append(seconds / max(1, stored))
        small, large = (statistics.median(timings[size]) for size in sizes)
        results["ingest_large_store_articles"] = n_large
        results["ingest_ms_per_article_small_store"] = round(small * 1000, 3)
        results["ingest_ms_per_article_large_store"] = round(large * 1000, 3)
        results["ingest_slowdown_50k_vs_1k"] = round(large / small, 3)
    return results
