"""Scale-out: articles/s with understanding and stories on (the defaults), fork pool against Ray
prepare actors, SQLite against PostgreSQL, and the share of the wall time spent in the driver's
ordered step (stored? -> dedup -> canonical entities -> assign -> write), the part no engine can
spread.

The corpus is ``n`` texts of the shared development sets (``corpus.real_texts``, sampled across
the files, so English, German, Spanish, Chinese, Russian ... are all in it). Each run starts from an
empty store. Ray's cluster and its actors are started before the clock starts (actors outlive a run,
as under ``storyline follow``; their start is reported apart); models load inside the clock in both
engines (once per worker or actor). ``ordered_share`` = (wall - time the driver waited for the
engine) / wall, measured by wrapping ``engine.prepared``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.corpus import real_texts, write_jsonl
from storyline import engine
from storyline.ingest import iter_inputs
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store import open_store


def _rows(n: int) -> Iterator[dict[str, str]]:
    texts = real_texts()
    step = max(1, len(texts) // n)
    for i, text in enumerate(texts[::step][:n]):
        yield {
            "id": f"scale-{i}",
            "text": text,
            "source": f"outlet{i % 23}.example",
            "published": f"2021-03-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
        }


class _Timed:
    """``engine.prepared`` wrapped: counts the seconds the driver spends waiting for prepared items."""

    def __init__(self) -> None:
        self.waiting = 0.0
        self.real = engine.prepared

    def __call__(self, items: Iterable[Any], settings: Settings, **kw: Any) -> Iterator[Any]:
        inner = self.real(items, settings, **kw)
        while True:
            start = time.perf_counter()
            try:
                item = next(inner)
            except StopIteration:
                self.waiting += time.perf_counter() - start
                return
            self.waiting += time.perf_counter() - start
            yield item


def _one_run(corpus: Path, settings: Settings) -> tuple[float, float, int]:
    """(articles/s, ordered share, stored) of one ingest into the empty store of ``settings``."""
    store = open_store(settings)
    try:
        if store.count_articles():
            raise SystemExit(f"the store of {settings.store_url or settings.db} is not empty")
        components = Components.for_store(settings, store)
        timed = _Timed()
        engine.prepared = timed  # type: ignore[assignment]
        try:
            start = time.perf_counter()
            stats = run(iter_inputs([str(corpus)], settings), components, store)
            wall = time.perf_counter() - start
        finally:
            engine.prepared = timed.real  # type: ignore[method-assign]
    finally:
        store.close()
    print(f"    {settings.engine}: {stats.summary()} in {wall:.1f} s", file=sys.stderr, flush=True)
    return stats.stored / wall, (wall - timed.waiting) / wall, stats.stored


def _start_actors(settings: Settings) -> float:
    import ray

    from storyline.engine import ray as ray_engine

    start = time.perf_counter()
    pool = ray_engine.pool_for(settings)
    ray.get([actor.pid.remote() for actor in pool.actors])
    return time.perf_counter() - start


def bench_scaleout(
    *, n: int = 300, workers: Sequence[int] = (2,), ray_actors: Sequence[int] = (1, 2), store_url: str = ""
) -> dict[str, float]:
    """``scaleout_inline{w}_aps`` for each fork-pool size ``w`` in ``workers``; ``scaleout_ray{k}_aps``
    for each actor count in ``ray_actors`` and ``workers``; ``scaleout_inline_aps`` and
    ``scaleout_ordered_share`` for the largest fork pool; ``scaleout_ray_vs_inline`` (largest Ray
    pool of at most that size over it); with ``store_url`` (an empty PostgreSQL database) the
    largest Ray run again on it (``scaleout_ray{k}_pg_aps``)."""
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "corpus.jsonl"
        results["scaleout_articles"] = write_jsonl(corpus, _rows(n))
        for w in sorted(set(workers)):
            aps, share, _ = _one_run(corpus, Settings(db=str(root / f"inline{w}.db"), workers=w))
            results[f"scaleout_inline{w}_aps"] = round(aps, 2)
            results[f"scaleout_inline{w}_ordered_share"] = round(share, 3)
        widest = max(workers)
        results["scaleout_inline_aps"] = results[f"scaleout_inline{widest}_aps"]
        results["scaleout_ordered_share"] = results[f"scaleout_inline{widest}_ordered_share"]
        try:
            import ray
        except ModuleNotFoundError:
            print("    ray is not installed: no Ray figures", file=sys.stderr)
            return results
        from storyline.engine import ray as ray_engine

        counts = sorted(set(ray_actors) | set(workers))
        ray.init(num_cpus=max(counts), include_dashboard=False, log_to_driver=False)
        try:
            for k in counts:
                settings = Settings(db=str(root / f"ray{k}.db"), engine="ray", ray_actors=k)
                results[f"scaleout_ray{k}_actor_start_s"] = round(_start_actors(settings), 2)
                aps, share, _ = _one_run(corpus, settings)
                results[f"scaleout_ray{k}_aps"] = round(aps, 2)
                results[f"scaleout_ray{k}_ordered_share"] = round(share, 3)
                if store_url and k == counts[-1]:
                    pg = settings.replace(store_url=store_url)
                    _start_actors(pg)
                    results[f"scaleout_ray{k}_pg_aps"] = round(_one_run(corpus, pg)[0], 2)
                ray_engine.close_pools()
        finally:
            ray.shutdown()
        same = max(k for k in counts if k <= widest) if min(counts) <= widest else counts[0]
        results["scaleout_ray_vs_inline"] = round(
            results[f"scaleout_ray{same}_aps"] / results[f"scaleout_inline{widest}_aps"], 3
        )
    return results
