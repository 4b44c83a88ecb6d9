"""`make bench`: run the benchmarks, print a table, merge figures into benchmarks/results.json.

Usage: python benchmarks/run.py [NAME ...] [--quick] [--workers 1,2,4,8,15] [--store-url postgresql://...]
[--size 100k|300k|1m]
(``--workers`` and ``--store-url`` are for ``scaleout``: fork-pool sizes and Ray actor counts, and an
empty PostgreSQL database to run it on as well. ``--size`` is for ``web``: every page and endpoint over
a cached, fully populated store of that many articles, instead of the 100k three-page run.)
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_assign import bench_assign
from benchmarks.bench_digest import bench_digest
from benchmarks.bench_embed import bench_embed
from benchmarks.bench_ingest import bench_ingest
from benchmarks.bench_pipeline import bench_pipeline
from benchmarks.bench_scaleout import bench_scaleout
from benchmarks.bench_soak import bench_soak
from benchmarks.bench_understand import bench_understand
from benchmarks.bench_web import SIZES, bench_web, bench_web_scale

RESULTS = Path(__file__).with_name("results.json")


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def _flat(results: Mapping[str, object], prefix: str = "") -> list[tuple[str, object]]:
    """Table rows, sorted by key: a nested dict (``pipeline_stage_ms``) as one row per entry."""
    rows: list[tuple[str, object]] = []
    for key in sorted(results):
        value = results[key]
        if isinstance(value, Mapping):
            rows.extend(_flat(value, f"{prefix}{key}."))
        else:
            rows.append((f"{prefix}{key}", value))
    return rows


def _option(argv: list[str], name: str) -> str | None:
    """The value after ``name`` in ``argv`` (both removed), or None."""
    if name not in argv:
        return None
    at = argv.index(name)
    if at + 1 >= len(argv):
        raise SystemExit(f"{name} needs a value")
    value = argv[at + 1]
    del argv[at : at + 2]
    return value


def main(argv: list[str]) -> int:
    argv = list(argv)
    workers = [int(w) for w in (_option(argv, "--workers") or "2").split(",")]
    store_url = _option(argv, "--store-url") or ""
    size = _option(argv, "--size")
    if size is not None and size not in SIZES:
        raise SystemExit(f"--size must be one of {', '.join(SIZES)}")
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("-")]
    benches: dict[str, Callable[[], Mapping[str, object]]] = {
        "ingest": (lambda: bench_ingest(n_throughput=1000, n_large=5000, probe=300, repeats=1))
        if quick
        else bench_ingest,
        "web": (lambda: bench_web_scale(size))
        if size is not None
        else (lambda: bench_web(n_articles=10_000))
        if quick
        else bench_web,
        "assign": (lambda: bench_assign(sizes={"1k": 1_000, "10k": 10_000, "100k": 100_000}))
        if quick
        else bench_assign,
        "understand": (lambda: bench_understand(n_articles=400)) if quick else bench_understand,
        "digest": (lambda: bench_digest(repeats=1)) if quick else bench_digest,
        "soak": (lambda: bench_soak(sizes={"1k": 1_000, "10k": 10_000}, n_stories=20))
        if quick
        else bench_soak,
        "pipeline": (lambda: bench_pipeline(n=300, n_large=3000, probe=100, repeats=1))
        if quick
        else bench_pipeline,
        "embed": (lambda: bench_embed(n=100, repeats=1, n_alone=50)) if quick else bench_embed,
        "scaleout": lambda: bench_scaleout(n=120 if quick else 300, workers=workers, store_url=store_url),
    }
    results: dict[str, object] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name, bench in benches.items():
        if names and name not in names:
            continue
        start = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.update(bench())
        print(f"  {name} took {time.perf_counter() - start:.0f} s", file=sys.stderr)
    results["peak_rss_mb"] = _peak_rss_mb()
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    rows = dict(_flat(results))
    width = max(len(k) for k in rows)
    for key, value in rows.items():
        print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
