"""Ingest throughput with understanding on: entities, quotes, dates and figures for every article."""

from __future__ import annotations

import resource
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import synthetic_articles, write_jsonl
from storyline.ingest import iter_inputs
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store.sqlite import SqliteStore


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers, once joined)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _ingest(path: Path, db: Path, *, understand: bool) -> tuple[int, float, float]:
    """Articles stored, seconds and CPU seconds taken by one `storyline ingest`-equivalent run
    (start-up and model loading included)."""
    settings = Settings(db=str(db), understand=understand, stories=False)  # understanding alone
    start, cpu = time.perf_counter(), _cpu_seconds()
    with SqliteStore(db) as store:
        stats = run(iter_inputs([str(path)], settings), Components.for_store(settings, store), store)
    return stats.stored, time.perf_counter() - start, _cpu_seconds() - cpu


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def bench_understand(*, n_articles: int = 2000) -> dict[str, float]:
    """``understand_articles_per_second``: ``n_articles`` articles built from ../shared/data (the real
    texts, English news of ~325 words on average) into an empty store with understanding on, two
    worker processes; ``understand_cpu_ms_per_article`` the CPU time it took (main process and
    workers) and ``understand_articles_per_second_2_idle_cores`` the rate that CPU time gives on two
    cores no other work uses (the shared machine rarely is idle, so the wall-clock rate understates
    it); ``understand_off_articles_per_second`` the same run with understanding off, for scale; and
    how many facts were stored."""
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "corpus.jsonl"
        write_jsonl(corpus, synthetic_articles(n_articles))
        words = sum(len(line.split()) for line in corpus.read_text(encoding="utf-8").splitlines())
        stored, seconds, cpu = _ingest(corpus, root / "on.db", understand=True)
        results["understand_articles"] = stored
        results["understand_words_per_article"] = round(words / max(1, n_articles))
        results["understand_articles_per_second"] = round(stored / seconds, 2)
        results["understand_cpu_ms_per_article"] = round(1000 * cpu / max(1, stored), 1)
        results["understand_articles_per_second_2_idle_cores"] = round(2 * stored / cpu, 1)
        for table in ("entities", "mentions", "quotes", "time_mentions", "figures"):
            results[f"understand_{table}"] = _count(root / "on.db", table)
        stored, seconds, _ = _ingest(corpus, root / "off.db", understand=False)
        results["understand_off_articles_per_second"] = round(stored / seconds, 1)
    return results
